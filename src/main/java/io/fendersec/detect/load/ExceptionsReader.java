package io.fendersec.detect.load;

import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.fendersec.detect.sigma.DetectionCompiler;
import io.fendersec.detect.sigma.ValueMatcher;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;
import io.fendersec.detect.rule.ExceptionEntry;

/**
 * Reads a {@code rules.exceptions} file strictly, like a job spec: unknown keys, values of the
 * wrong form and missing keys are errors naming the file and the dotted path
 * ({@code exceptions.yml: exceptions[2].expires: expected a date YYYY-MM-DD, got '2026-13-01'}),
 * every error at once. Rule references are resolved later, against the loaded rules
 * ({@link RuleLoader#load()}).
 *
 * <pre>
 * exceptions:
 *   - id: ex-test-users            # optional; default RULE-FIELD (RULE "*" reads "all"), -2, -3... when repeated
 *     rule: brute-force            # a rule id or Sigma name, or '*' for every detection
 *     field: user.name
 *     values: [qa-bot, 'load-test-*']
 *     expires: 2026-12-31          # optional: the last day (UTC) it applies
 *     reason: load tests, TICKET-12
 *     allow-all: true              # required (with a reason) when a value matches everything ('*', 0.0.0.0/0)
 * </pre>
 *
 * <p>A value that matches every value ({@link ExceptionEntry#matchesEverything}) silences the rule for
 * every log that has the field: with {@code rule: '*'}, every detection. It is refused unless the
 * entry says {@code allow-all: true} and gives a {@code reason}, so that a typo or a copied example
 * cannot switch detection off unseen; {@code validate} and {@code rules list} warn of such entries.
 */
final class ExceptionsReader {
    private static final Set<String> TOP = Set.of("exceptions");
    private static final List<String> KEYS = List.of("id", "rule", "field", "values", "expires", "reason", "allow-all");
    /** Ids become metric group names and summary lines: plain characters only. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** A field name; '|' would smuggle in Sigma modifiers. */
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_@][A-Za-z0-9_.@-]{0,199}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    static final int MAX_VALUES = 10_000;

    private final String name;
    private final List<String> errors = new ArrayList<>();

    private ExceptionsReader(String name) {
        this.name = name;
    }

    /** The exceptions in {@code yaml}, rule references as written; {@code name} (the file) starts every message. */
    static List<ExceptionEntry> read(String name, String yaml) {
        return new ExceptionsReader(name).readAll(yaml);
    }

    private List<ExceptionEntry> readAll(String yaml) {
        List<YamlNode> docs;
        try {
            docs = YamlNode.readAll(new StringReader(yaml), name);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        if (docs.size() > 1) {
            throw new ConfigException(name + ": one YAML document expected, found " + docs.size());
        }
        if (docs.isEmpty() || docs.get(0).isNull()) {
            return List.of(); // an empty file: no exceptions
        }
        YamlNode root = docs.get(0);
        if (!root.isMap()) {
            throw new ConfigException(name + ": expected a mapping with 'exceptions: [...]'");
        }
        for (String k : root.asMap().keySet()) {
            if (!TOP.contains(k)) {
                errors.add(k + ": unknown key (expected: exceptions)");
            }
        }
        List<ExceptionEntry> out = new ArrayList<>();
        YamlNode list = root.get("exceptions");
        if (list != null && !list.isNull()) {
            if (!list.isList()) {
                errors.add("exceptions: expected a list of exceptions");
            } else {
                Map<String, Integer> derived = new HashMap<>();
                Map<String, String> ids = new LinkedHashMap<>();
                List<YamlNode> items = list.asList();
                for (int i = 0; i < items.size(); i++) {
                    ExceptionEntry e = entry("exceptions[" + i + "]", items.get(i), derived);
                    if (e == null) {
                        continue;
                    }
                    String prev = ids.putIfAbsent(e.id(), e.source());
                    if (prev != null) {
                        errors.add("exceptions[" + i + "].id: '" + e.id() + "' is already used by " + prev
                                .substring(name.length() + 2));
                        continue;
                    }
                    out.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(name + ": " + String.join("\n" + name + ": ", errors));
        }
        return out;
    }

    private ExceptionEntry entry(String path, YamlNode n, Map<String, Integer> derived) {
        if (!n.isMap()) {
            errors.add(path + ": expected a mapping like {rule: brute-force, field: user.name, values: [...]}");
            return null;
        }
        int before = errors.size();
        for (String k : n.asMap().keySet()) {
            if (!KEYS.contains(k)) {
                errors.add(path + "." + k + ": unknown key (expected one of " + String.join(", ", KEYS) + ")");
            }
        }
        String rule = text(path + ".rule", n.get("rule"), true);
        String field = text(path + ".field", n.get("field"), true);
        if (field != null && !FIELD.matcher(field).matches()) {
            errors.add(path + ".field: expected a field name such as user.name or source.ip, got '" + shown(field) + "'");
            field = null;
        }
        String id = text(path + ".id", n.get("id"), false);
        if (id != null && !ID.matcher(id).matches()) {
            errors.add(path + ".id: expected letters, digits, '.', '_' or '-' (at most 100), got '" + shown(id) + "'");
        }
        String reason = text(path + ".reason", n.get("reason"), false);
        LocalDate expires = date(path + ".expires", n.get("expires"));
        List<String> values = values(path + ".values", n.get("values"), field);
        Boolean allowAll = flag(path + ".allow-all", n.get("allow-all"));
        if (errors.size() > before || rule == null || field == null || values == null || allowAll == null) {
            return null;
        }
        if (!allowAll) {
            for (int i = 0; i < values.size(); i++) {
                if (ExceptionEntry.matchesEverything(field, values.get(i))) {
                    String at = n.get("values").isList() ? path + ".values[" + i + "]" : path + ".values";
                    errors.add(at + ": '" + shown(values.get(i)) + "' matches every " + field + ", so this exception"
                            + " silences " + (rule.equals(ExceptionEntry.ANY_RULE) ? "every detection" : "rule '" + rule + "'")
                            + " for every log: list the values meant, or add allow-all: true with a reason");
                    return null;
                }
            }
        } else if (reason == null) {
            errors.add(path + ".allow-all: an exception that allows everything needs a reason (who decided it, and why)");
            return null;
        }
        if (id == null) {
            // Derived from what the entry silences, not its position: reordering the file keeps the names.
            String base = (rule.equals(ExceptionEntry.ANY_RULE) ? "all" : rule) + "-" + field;
            int seen = derived.merge(base, 1, Integer::sum);
            id = seen == 1 ? base : base + "-" + seen;
        }
        return new ExceptionEntry(id, rule, field, values, expires, reason, name + ": " + path, predicate(field, values),
                allowAll);
    }

    private String text(String path, YamlNode n, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(path + ": required");
            }
            return null;
        }
        if (!n.isScalar()) {
            errors.add(path + ": expected a single value");
            return null;
        }
        String s = n.asText().strip();
        if (s.isEmpty()) {
            errors.add(path + ": must not be empty");
            return null;
        }
        return s;
    }

    /** true or false; absent is false; null (and an error) for anything else. */
    private Boolean flag(String path, YamlNode n) {
        if (n == null || n.isNull()) {
            return false;
        }
        if (n.isScalar() && n.scalar() instanceof Boolean b) {
            return b;
        }
        errors.add(path + ": expected true or false, got '" + shown(n.isScalar() ? n.asText() : "(a list or mapping)") + "'");
        return null;
    }

    private LocalDate date(String path, YamlNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isScalar() ? n.asText() : null;
        if (s != null && DATE.matcher(s).matches()) {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                // falls through to the message
            }
        }
        errors.add(path + ": expected a date YYYY-MM-DD, got '" + shown(s == null ? "(a list or mapping)" : s) + "'");
        return null;
    }

    private List<String> values(String path, YamlNode n, String field) {
        if (n == null || n.isNull()) {
            errors.add(path + ": required (a list of values)");
            return null;
        }
        List<YamlNode> items = n.asListOrSingle();
        if (items.isEmpty()) {
            errors.add(path + ": must not be empty");
            return null;
        }
        if (items.size() > MAX_VALUES) {
            errors.add(path + ": at most " + MAX_VALUES + " values, got " + items.size());
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ip = field != null && ExceptionEntry.isIpField(field);
        for (int i = 0; i < items.size(); i++) {
            YamlNode v = items.get(i);
            String at = n.isList() ? path + "[" + i + "]" : path;
            if (!v.isScalar() || v.isNull()) {
                errors.add(at + ": expected a value (text or number)");
                continue;
            }
            String s = v.asText();
            if (ip) {
                try {
                    ValueMatcher.Cidr.parse(s.strip());
                } catch (RuntimeException e) {
                    errors.add(at + ": expected an IP address or a CIDR network such as 10.0.0.0/8 ("
                            + field + " is an IP field), got '" + shown(s) + "'");
                    continue;
                }
                s = s.strip();
            }
            out.add(s);
        }
        return out;
    }

    /** As the Sigma selection {@code {field: values}} (or {@code field|cidr}): one compiler for rules and exceptions. */
    private io.fendersec.detect.sigma.EventPredicate predicate(String field, List<String> values) {
        String key = ExceptionEntry.isIpField(field) ? field + "|cidr" : field;
        return DetectionCompiler.compileSearch(YamlNode.of(Map.of(key, values), name));
    }

    /** A value for a message: no control characters, at most 80 characters. */
    private static String shown(String s) {
        String clean = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
