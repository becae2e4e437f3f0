package io.fendersec.job.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.fendersec.auth.SecretRef;
import io.fendersec.model.Durations;

/**
 * One mapping of a job spec with its dotted key path. Every accessor reports a problem to the
 * shared {@link SpecErrors} instead of throwing, and returns a default, so that one pass over a
 * spec finds every error. {@link #allowOnly} reports unknown keys with the closest valid one.
 */
public final class SpecNode {
    private final JsonNode node;
    private final String path;
    private final SpecErrors errors;
    private final Path baseDir;

    SpecNode(JsonNode node, String path, SpecErrors errors, Path baseDir) {
        this.node = node;
        this.path = path;
        this.errors = errors;
        this.baseDir = baseDir;
    }

    public static SpecNode root(JsonNode node, SpecErrors errors, Path baseDir) {
        return new SpecNode(node, "", errors, baseDir);
    }

    public String path() {
        return path;
    }

    public SpecErrors errors() {
        return errors;
    }

    /** The folder relative paths are resolved against: the job file's. */
    public Path baseDir() {
        return baseDir;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    /** The mapping itself, as parsed. */
    public JsonNode rawNode() {
        return node;
    }

    public JsonNode raw(String key) {
        return node == null ? null : node.get(key);
    }

    /** Reports every key not in {@code allowed}, suggesting the closest allowed key. */
    public void allowOnly(String... allowed) {
        if (node == null || !node.isObject()) {
            return;
        }
        Set<String> ok = new LinkedHashSet<>(Arrays.asList(allowed));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ok.contains(k)) {
                String hint = closest(k, ok);
                errors.add(pathOf(k), "unknown key" + (hint != null ? " (did you mean " + pathOf(hint) + "?)"
                        : "; valid keys here: " + String.join(", ", ok)));
            }
        }
    }

    /** A nested mapping; null (with an error when required) if absent or not a mapping. */
    public SpecNode section(String key, boolean required) {
        JsonNode n = raw(key);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(pathOf(key), "missing; expected a section (a mapping of keys)");
            }
            return null;
        }
        if (!n.isObject()) {
            errors.add(pathOf(key), "expected a section (a mapping of keys), got " + kind(n));
            return null;
        }
        return new SpecNode(n, pathOf(key), errors, baseDir);
    }

    public String string(String key, String def, boolean required, String expected) {
        JsonNode n = raw(key);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(pathOf(key), "missing; expected " + expected);
            }
            return def;
        }
        if (!n.isValueNode() || n.isBoolean()) {
            errors.add(pathOf(key), "expected " + expected + ", got " + kind(n));
            return def;
        }
        String s = n.asText().trim();
        if (s.isEmpty()) {
            errors.add(pathOf(key), "empty; expected " + expected);
            return def;
        }
        return s;
    }

    public String string(String key, String def) {
        return string(key, def, false, "a text value");
    }

    public <E extends Enum<E>> String oneOf(String key, String def, String... values) {
        String s = string(key, def, false, "one of " + String.join(" | ", values));
        if (s != null && !Arrays.asList(values).contains(s)) {
            String hint = closest(s, new LinkedHashSet<>(Arrays.asList(values)));
            errors.add(pathOf(key), "expected one of " + String.join(" | ", values) + ", got '" + s + "'"
                    + (hint != null ? " (did you mean " + hint + "?)" : ""));
            return def;
        }
        return s;
    }

    public int integer(String key, int def, int min, int max) {
        JsonNode n = raw(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.canConvertToInt() || !(n.isIntegralNumber() || n.isTextual() && n.asText().matches("-?\\d+"))) {
            errors.add(pathOf(key), "expected a whole number from " + min + " to " + max + ", got " + kind(n));
            return def;
        }
        int v = n.asInt();
        if (v < min || v > max) {
            errors.add(pathOf(key), "expected a whole number from " + min + " to " + max + ", got " + v);
            return def;
        }
        return v;
    }

    public long longValue(String key, long def, long min) {
        JsonNode n = raw(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!(n.isIntegralNumber() || n.isTextual() && n.asText().matches("-?\\d+")) || n.asLong() < min) {
            errors.add(pathOf(key), "expected a whole number of at least " + min + ", got " + n.asText());
            return def;
        }
        return n.asLong();
    }

    public Duration duration(String key, Duration def) {
        String s = string(key, null, false, Durations.EXPECTED);
        if (s == null) {
            return def;
        }
        Duration d = Durations.parse(s);
        if (d == null) {
            errors.add(pathOf(key), "expected " + Durations.EXPECTED + ", got '" + s + "'");
            return def;
        }
        return d;
    }

    public TimeExpression time(String key, TimeExpression def, boolean required) {
        String s = string(key, null, required, TimeExpression.EXPECTED);
        if (s == null) {
            return def;
        }
        TimeExpression t = TimeExpression.parse(s);
        if (t == null) {
            errors.add(pathOf(key), "expected " + TimeExpression.EXPECTED + ", got '" + s + "'");
            return def;
        }
        return t;
    }

    /** A list of strings; a single string is taken as a one-element list. */
    public List<String> strings(String key, List<String> def) {
        JsonNode n = raw(key);
        if (n == null || n.isNull()) {
            return def;
        }
        List<String> out = new ArrayList<>();
        if (n.isValueNode() && !n.isBoolean()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            errors.add(pathOf(key), "expected a list such as [a, b], got " + kind(n));
            return def;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isValueNode() || e.isNull() || e.asText().isBlank()) {
                errors.add(pathOf(key) + "[" + i + "]", "expected a text value, got " + kind(e));
            } else {
                out.add(e.asText().trim());
            }
        }
        return out;
    }

    /** A list of mappings, e.g. {@code sinks.alerts}. */
    public List<SpecNode> sections(String key) {
        JsonNode n = raw(key);
        List<SpecNode> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            errors.add(pathOf(key), "expected a list of sections (- key: value), got " + kind(n));
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String p = pathOf(key) + "[" + i + "]";
            if (!e.isObject()) {
                errors.add(p, "expected a section (a mapping of keys), got " + kind(e));
            } else {
                out.add(new SpecNode(e, p, errors, baseDir));
            }
        }
        return out;
    }

    /** A path, resolved against the job file's folder when relative. */
    public Path file(String key, boolean required, String expected) {
        String s = string(key, null, required, expected);
        return s == null ? null : resolve(s);
    }

    public Path resolve(String s) {
        Path p;
        try {
            p = Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw new io.fendersec.error.ConfigException(path + ": '" + s + "' is not a valid path (" + e.getReason() + ")");
        }
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }

    /** A secret reference ({@code ${env:NAME}} or {@code ${file:PATH}}); never the secret itself. */
    public SecretRef secret(String key, boolean required) {
        String s = string(key, null, required, "${env:NAME} or ${file:PATH}");
        if (s == null) {
            return null;
        }
        if (!SecretRef.isReference(s)) {
            errors.add(pathOf(key), "expected a secret reference ${env:NAME} or ${file:PATH}, not the secret itself"
                    + " (secrets must not be written into job files)");
            return null;
        }
        SecretRef ref = SecretRef.parse(s, pathOf(key));
        // A ${file:} path is resolved against the job's folder like every other path.
        return ref.kind() == SecretRef.Kind.FILE
                ? SecretRef.file(resolve(s.trim().substring("${file:".length(), s.trim().length() - 1).trim()).toString())
                : ref;
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a section";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isBoolean()) {
            return "'" + n.asText() + "' (true/false)";
        }
        return "'" + n.asText() + "'";
    }

    /** The allowed key closest to {@code key}, if it is close enough to be a likely typo. */
    static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(key.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best != null && bestD <= Math.max(2, key.length() / 3) ? best : null;
    }

    /** Damerau-Levenshtein (optimal string alignment): a swap of two letters counts as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
