package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * The parameters of one transformation or condition in a pipeline file, read by name with the
 * dotted path of each in its messages ({@code file: transformations[2] (id map-users).mapping});
 * a parameter no reader asked for is an error, as pySigma refuses unexpected arguments.
 */
final class Args {
    final YamlNode node;
    final String path;
    private final Set<String> used = new LinkedHashSet<>();

    Args(YamlNode node, String path, Set<String> handledElsewhere) {
        if (!node.isMap()) {
            throw error(node, path, "expected a mapping with 'type'");
        }
        this.node = node;
        this.path = path;
        used.addAll(handledElsewhere);
    }

    static ConfigException error(YamlNode at, String path, String message) {
        return new ConfigException(at.where() + ": " + path + ": " + message);
    }

    ConfigException error(String key, String message) {
        YamlNode at = node.get(key) != null ? node.get(key) : node;
        return error(at, path + "." + key, message);
    }

    YamlNode raw(String key) {
        used.add(key);
        return node.get(key);
    }

    String text(String key, boolean required) {
        YamlNode v = raw(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(key, "required");
            }
            return null;
        }
        if (!v.isScalar()) {
            throw error(key, "expected a single value");
        }
        return v.asText();
    }

    boolean bool(String key, boolean dflt) {
        YamlNode v = raw(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!(v.scalar() instanceof Boolean b)) {
            throw error(key, "expected true or false");
        }
        return b;
    }

    /** A string or a list of strings. */
    List<String> texts(String key, boolean required) {
        YamlNode v = raw(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(key, "required");
            }
            return null;
        }
        List<String> out = new ArrayList<>();
        for (YamlNode x : v.asListOrSingle()) {
            if (!x.isScalar() || x.asText() == null) {
                throw error(key, "expected a name or a list of names");
            }
            out.add(x.asText());
        }
        return out;
    }

    /** A mapping of names to a name or a list of names (field mappings). */
    Map<String, List<String>> nameMap(String key) {
        YamlNode v = raw(key);
        if (v == null || !v.isMap()) {
            throw error(key, "required: a mapping of field names to a field name or a list of them");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : v.asMap().entrySet()) {
            List<String> to = new ArrayList<>();
            for (YamlNode x : e.getValue().asListOrSingle()) {
                if (!x.isScalar() || x.asText() == null || x.asText().isEmpty()) {
                    throw error(e.getValue(), path + "." + key + "." + e.getKey(), "expected a field name or a list of them");
                }
                to.add(x.asText());
            }
            out.put(e.getKey(), List.copyOf(to));
        }
        return out;
    }

    /** Refuses parameters nobody read: a misspelt one would otherwise be ignored. */
    void done(String what) {
        for (String k : node.asMap().keySet()) {
            if (!used.contains(k)) {
                throw error(k, "unknown parameter '" + k + "' of " + what);
            }
        }
    }
}
