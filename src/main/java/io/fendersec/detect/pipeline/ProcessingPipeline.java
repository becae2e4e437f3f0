package io.fendersec.detect.pipeline;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * One pySigma processing pipeline file: {@code name}, {@code priority} (lower runs first; default
 * 0), {@code vars} and {@code transformations} (the processing items, in order).
 * {@code postprocessing}, {@code finalizers} and {@code allowed_backends} shape a backend's query
 * text and are accepted without effect; any other top-level key is an error.
 *
 * @param source the file (or {@code builtin:NAME}) it was read from, for messages
 * @param text   the YAML it was read from (a continuous job's rule watcher reads it again with changed rules)
 */
public record ProcessingPipeline(String name, int priority, Map<String, List<String>> vars, List<ProcessingItem> items,
        String source, String text) {
    private static final Set<String> KEYS = Set.of("name", "priority", "vars", "transformations", "postprocessing",
            "finalizers", "allowed_backends");

    public ProcessingPipeline {
        vars = Map.copyOf(vars);
        items = List.copyOf(items);
    }

    /** Reads the YAML text of a pipeline; {@code source} starts every message. */
    public static ProcessingPipeline read(String source, String yaml) {
        List<YamlNode> docs = YamlNode.readAll(new StringReader(yaml), source);
        if (docs.size() != 1 || !docs.get(0).isMap()) {
            throw new ConfigException(source + ": a processing pipeline is one YAML mapping with 'transformations'");
        }
        YamlNode doc = docs.get(0);
        for (Map.Entry<String, YamlNode> e : doc.asMap().entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw e.getValue().error("unknown key '" + e.getKey() + "' in a processing pipeline ("
                        + String.join(", ", KEYS) + ")");
            }
        }
        int priority = 0;
        YamlNode p = doc.get("priority");
        if (p != null && !p.isNull()) {
            if (!(p.scalar() instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw p.error("priority: expected a whole number (lower runs first)");
            }
            priority = (int) (long) l;
        }
        Map<String, List<String>> vars = new LinkedHashMap<>();
        YamlNode v = doc.get("vars");
        if (v != null && !v.isNull()) {
            if (!v.isMap()) {
                throw v.error("vars: expected a mapping of variable names to values");
            }
            for (Map.Entry<String, YamlNode> e : v.asMap().entrySet()) {
                List<String> values = new ArrayList<>();
                for (YamlNode x : e.getValue().asListOrSingle()) {
                    if (!x.isScalar() || x.isNull() || x.scalar() instanceof Boolean) {
                        throw x.error("vars." + e.getKey() + ": expected a string or a number, or a list of them");
                    }
                    values.add(x.asText());
                }
                vars.put(e.getKey(), values);
            }
        }
        List<ProcessingItem> items = new ArrayList<>();
        YamlNode ts = doc.get("transformations");
        if (ts != null && !ts.isNull()) {
            if (!ts.isList()) {
                throw ts.error("transformations: expected a list of processing items");
            }
            int i = 0;
            for (YamlNode t : ts.asList()) {
                items.add(ProcessingItem.read(t, "transformations[" + i++ + "]"));
            }
        }
        String name = doc.get("name") != null && doc.get("name").isScalar() ? doc.text("name") : source;
        return new ProcessingPipeline(name, priority, vars, items, source, yaml);
    }
}
