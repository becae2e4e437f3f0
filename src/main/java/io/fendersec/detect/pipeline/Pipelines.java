package io.fendersec.detect.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.files.TextFiles;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * The processing pipelines of a job ({@code rules.pipelines}) or command ({@code --pipeline}), in
 * the order they apply: by {@code priority}, lower first, ties in the order given (pySigma's
 * resolver). Their {@code vars} merge, a later pipeline's value winning. A reference is a file
 * (relative to the job file's folder) or {@code builtin:NAME}, a pipeline inside the jar
 * ({@code builtin:ecs}).
 */
public final class Pipelines {
    /** Largest pipeline file read, like other rule files: a pipeline is a few kilobytes. */
    public static final long MAX_FILE_BYTES = 4L << 20;
    static final String BUILTIN = "builtin:";

    private static final Pipelines NONE = new Pipelines(List.of());
    private final List<ProcessingPipeline> pipelines;
    private final Map<String, List<String>> vars;

    private Pipelines(List<ProcessingPipeline> pipelines) {
        List<ProcessingPipeline> sorted = new ArrayList<>(pipelines);
        sorted.sort(Comparator.comparingInt(ProcessingPipeline::priority)); // stable: ties keep their order
        this.pipelines = List.copyOf(sorted);
        Map<String, List<String>> v = new LinkedHashMap<>();
        this.pipelines.forEach(p -> v.putAll(p.vars()));
        this.vars = Map.copyOf(v);
    }

    public static Pipelines none() {
        return NONE;
    }

    public static Pipelines of(List<ProcessingPipeline> pipelines) {
        return pipelines.isEmpty() ? NONE : new Pipelines(pipelines);
    }

    /** Reads each reference: a file relative to {@code baseDir}, or {@code builtin:NAME}. */
    public static Pipelines load(List<String> refs, Path baseDir) {
        List<ProcessingPipeline> out = new ArrayList<>();
        for (String ref : refs) {
            out.add(read(ref, baseDir));
        }
        return of(out);
    }

    /** One pipeline by reference; a missing file or built-in is a config error naming it. */
    public static ProcessingPipeline read(String ref, Path baseDir) {
        if (ref.startsWith(BUILTIN)) {
            String name = ref.substring(BUILTIN.length());
            if (!name.matches("[a-z0-9-]+")) {
                throw new ConfigException(ref + ": no such built-in pipeline (" + String.join(", ", builtinNames()) + ")");
            }
            try (InputStream in = Pipelines.class.getClassLoader().getResourceAsStream("pipelines/" + name + ".yml")) {
                if (in == null) {
                    throw new ConfigException(ref + ": no such built-in pipeline (" + String.join(", ", builtinNames()) + ")");
                }
                return ProcessingPipeline.read(ref, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in pipeline " + ref, e);
            }
        }
        Path p = baseDir.resolve(ref);
        try {
            if (!Files.isRegularFile(p)) {
                throw new ConfigException(p + ": no such pipeline file (a pySigma processing pipeline in YAML, or "
                        + BUILTIN + "NAME: " + String.join(", ", builtinNames()) + ")");
            }
            // Read bounded, like every rule file (TextFiles): the size a file claims is not the size
            // a device or a file still being written gives.
            return ProcessingPipeline.read(p.toString(),
                    TextFiles.read(p, MAX_FILE_BYTES, "pipeline file", "split it into smaller pipelines"));
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read pipeline file: " + e.getMessage(), e);
        }
    }

    /** The pipelines inside the jar, usable as {@code builtin:NAME}. */
    public static List<String> builtinNames() {
        return List.of("ecs");
    }

    /** Each pipeline as [source, YAML text], serializable, for a rule watcher to read them again ({@link #ofTexts}). */
    public List<List<String>> texts() {
        return pipelines.stream().map(p -> List.of(p.source(), p.text())).toList();
    }

    /** The pipelines of {@link #texts()}. */
    public static Pipelines ofTexts(List<List<String>> texts) {
        return of(texts.stream().map(t -> ProcessingPipeline.read(t.get(0), t.get(1))).toList());
    }

    public boolean isEmpty() {
        return pipelines.isEmpty();
    }

    public List<ProcessingPipeline> pipelines() {
        return pipelines;
    }

    /**
     * Every rule document through every pipeline, in order: all rules through the first pipeline's
     * items, then the next (so a correlation's logsource condition sees its rules as processed so far).
     * Filter documents and non-mappings are left out. Rule failures are config errors.
     */
    public Map<YamlNode, ProcessedRule> process(List<YamlNode> docs) {
        Map<YamlNode, WorkingRule> working = new IdentityHashMap<>();
        Map<String, WorkingRule> byRef = new HashMap<>();
        List<WorkingRule> order = new ArrayList<>();
        for (YamlNode d : docs) {
            WorkingRule w = WorkingRule.of(d);
            working.put(d, w);
            order.add(w);
            for (String k : List.of("id", "name")) {
                String v = w.attribute(k);
                if (v != null) {
                    byRef.putIfAbsent(v, w);
                }
            }
        }
        PipelineRun run = new PipelineRun(vars, byRef);
        for (ProcessingPipeline p : pipelines) {
            for (WorkingRule w : order) {
                for (ProcessingItem item : p.items()) {
                    item.apply(w, run);
                }
            }
        }
        Map<YamlNode, ProcessedRule> out = new IdentityHashMap<>();
        working.forEach((d, w) -> out.put(d, new ProcessedRule(w)));
        return out;
    }
}
