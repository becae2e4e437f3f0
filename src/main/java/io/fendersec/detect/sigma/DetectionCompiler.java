package io.fendersec.detect.sigma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import io.fendersec.error.ConfigException;

/**
 * Compiles a Sigma {@code detection} section (or a single selection, for extractors' {@code when})
 * to an {@link EventPredicate}. Everything is checked here, at load time: an unknown modifier, a
 * bad regular expression or an unsupported condition form fails with the file and line.
 */
public final class DetectionCompiler {
    /** Modifiers this engine implements (sigma-appendix-modifiers, v2.1). */
    private static final Set<String> SUPPORTED = Set.of(
            "contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "exists",
            "lt", "lte", "gt", "gte", "base64", "base64offset", "cased", "neq", "windash");

    private DetectionCompiler() {}

    /** Compiles a whole {@code detection:} mapping with its {@code condition}. */
    public static EventPredicate compileDetection(YamlNode detection) {
        Map<String, YamlNode> sections = detection.asMap();
        YamlNode condition = sections.get("condition");
        if (condition == null) {
            throw detection.error("detection has no 'condition'");
        }
        if (sections.containsKey("timeframe")) {
            throw sections.get("timeframe").error(
                    "unsupported feature 'timeframe' (Sigma v1 aggregation): use a correlation rule with 'timespan'");
        }
        Map<String, EventPredicate> searches = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : sections.entrySet()) {
            if (!e.getKey().equals("condition")) {
                searches.put(e.getKey(), compileSearch(e.getValue()));
            }
        }
        List<EventPredicate> alternatives = new ArrayList<>();
        for (YamlNode c : condition.asListOrSingle()) { // a list of conditions is an OR (Sigma v1 form)
            String text = c.asText();
            if (text == null || text.isBlank()) {
                throw c.error("empty condition");
            }
            alternatives.add(ConditionParser.parse(text, searches, c));
        }
        return EventPredicate.or(alternatives);
    }

    /** Compiles one search identifier's value: a map (AND), a list of maps (OR) or keywords. */
    public static EventPredicate compileSearch(YamlNode search) {
        if (search.isMap()) {
            List<EventPredicate> parts = new ArrayList<>();
            for (Map.Entry<String, YamlNode> e : search.asMap().entrySet()) {
                parts.add(compileField(e.getKey(), e.getValue()));
            }
            if (parts.isEmpty()) {
                throw search.error("empty selection");
            }
            return EventPredicate.and(parts);
        }
        List<YamlNode> items = search.asListOrSingle();
        if (items.isEmpty()) {
            throw search.error("empty search");
        }
        if (items.stream().allMatch(YamlNode::isMap)) {
            List<EventPredicate> alts = new ArrayList<>();
            for (YamlNode m : items) {
                alts.add(compileSearch(m));
            }
            return EventPredicate.or(alts);
        }
        if (items.stream().allMatch(YamlNode::isScalar)) {
            List<ValueMatcher> kws = new ArrayList<>();
            for (YamlNode k : items) {
                if (k.isNull()) {
                    throw k.error("null is not a keyword");
                }
                kws.add(Wildcards.compile("*" + k.asText() + "*", false));
            }
            return keywords(kws);
        }
        throw search.error("a search is a mapping, a list of mappings or a list of keywords, not a mix");
    }

    /**
     * Full-text search: any field value contains any keyword. Plain keywords (a lower-case
     * substring) are looked up in the event's joined keyword text, built once per log however many
     * rules ask; keywords with inner wildcards run per value, as a match must not span two values.
     */
    private static EventPredicate keywords(List<ValueMatcher> kws) {
        List<String> plain = new ArrayList<>();
        List<ValueMatcher> perValue = new ArrayList<>();
        for (ValueMatcher m : kws) {
            if (m instanceof ValueMatcher.Text t && t.op() == ValueMatcher.TextOp.CONTAINS && !t.cased()
                    && t.expected().indexOf(Event.KEYWORD_SEPARATOR) < 0) {
                plain.add(t.expected());
            } else {
                perValue.add(m);
            }
        }
        String[] subs = plain.toArray(new String[0]);
        ValueMatcher[] ms = perValue.toArray(new ValueMatcher[0]);
        return e -> {
            if (subs.length > 0) {
                String text = e.keywordText();
                if (!text.isEmpty()) { // no values: no keyword is found, not even an empty one
                    for (String s : subs) {
                        if (text.contains(s)) {
                            return true;
                        }
                    }
                }
            }
            if (ms.length == 0) {
                return false;
            }
            for (String v : e.values()) {
                String lower = v.toLowerCase(java.util.Locale.ROOT);
                for (ValueMatcher m : ms) {
                    if (m.matches(m.wantsLower() ? lower : v)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    /** One {@code field|modifier|...: value(s)} entry. */
    static EventPredicate compileField(String key, YamlNode valueNode) {
        String[] parts = key.split("\\|", -1);
        String field = parts[0];
        if (field.isEmpty()) {
            throw valueNode.error("unsupported feature: keyword search with modifiers ('" + key + "')");
        }
        Set<String> mods = new LinkedHashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i];
            if (!SUPPORTED.contains(m)) {
                throw valueNode.error("unsupported feature: modifier '" + m + "' in '" + key + "'");
            }
            mods.add(m);
        }
        if ((mods.contains("i") || mods.contains("m") || mods.contains("s")) && !mods.contains("re")) {
            throw valueNode.error("modifiers i, m and s go with 're' ('" + key + "')");
        }
        List<YamlNode> values = valueNode.asListOrSingle();
        if (values.isEmpty()) {
            throw valueNode.error("no value for '" + key + "'");
        }
        for (YamlNode v : values) {
            if (!v.isScalar()) {
                throw v.error("a field value is a scalar or a list of scalars ('" + key + "')");
            }
        }

        if (mods.contains("exists")) {
            if (values.size() != 1 || !(values.get(0).scalar() instanceof Boolean)) {
                throw valueNode.error("'exists' takes true or false ('" + key + "')");
            }
            boolean want = (Boolean) values.get(0).scalar();
            return e -> (e.get(field) != null) == want;
        }

        List<ValueMatcher> matchers = new ArrayList<>();
        for (YamlNode v : values) {
            matchers.addAll(valueMatchers(v, mods, key));
        }
        ValueMatcher[] ms = matchers.toArray(new ValueMatcher[0]);
        boolean all = mods.contains("all");
        EventPredicate p;
        if (all) {
            p = e -> {
                for (ValueMatcher m : ms) {
                    if (!m.test(e, field)) {
                        return false;
                    }
                }
                return true;
            };
        } else {
            p = e -> {
                for (ValueMatcher m : ms) {
                    if (m.test(e, field)) {
                        return true;
                    }
                }
                return false;
            };
        }
        // neq: the field differs from every listed value (an absent field differs too).
        return mods.contains("neq") ? EventPredicate.not(p) : p;
    }

    static List<ValueMatcher> valueMatchers(YamlNode v, Set<String> mods, String key) {
        Object raw = v.scalar();
        if (raw == null) {
            if (mods.stream().anyMatch(m -> !m.equals("neq"))) {
                throw v.error("null cannot take modifiers ('" + key + "')");
            }
            return List.of(new ValueMatcher.IsNull());
        }
        String s = v.asText();
        boolean cased = mods.contains("cased");
        try {
            for (String op : List.of("lt", "lte", "gt", "gte")) {
                if (mods.contains(op)) {
                    if (!(raw instanceof Long || raw instanceof Double)) {
                        throw v.error("'" + op + "' needs a number ('" + key + "')");
                    }
                    return List.of(new ValueMatcher.Numeric(
                            ValueMatcher.NumOp.valueOf(op.toUpperCase()), ((Number) raw).doubleValue()));
                }
            }
            if (mods.contains("cidr")) {
                return List.of(ValueMatcher.Cidr.parse(s));
            }
            if (mods.contains("re")) {
                int flags = 0;
                if (mods.contains("i")) {
                    flags |= Pattern.CASE_INSENSITIVE;
                }
                if (mods.contains("m")) {
                    flags |= Pattern.MULTILINE;
                }
                if (mods.contains("s")) {
                    flags |= Pattern.DOTALL;
                }
                return List.of(new ValueMatcher.Regex(Pattern.compile(s, flags), false));
            }
        } catch (PatternSyntaxException | IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw (ConfigException) e;
            }
            throw v.error("bad value for '" + key + "': " + e.getMessage());
        }

        List<String> variants = List.of(s);
        if (mods.contains("windash")) {
            variants = windash(s);
        }
        if (mods.contains("base64") || mods.contains("base64offset")) {
            List<String> encoded = new ArrayList<>();
            for (String x : variants) {
                encoded.addAll(mods.contains("base64offset") ? base64Offsets(x) : List.of(base64(x)));
            }
            // Encoded text has no wildcard characters; escape nothing, but do not read '\' as escape.
            variants = encoded;
        }
        List<ValueMatcher> out = new ArrayList<>();
        for (String x : variants) {
            String w = x;
            if (mods.contains("contains")) {
                w = "*" + w + "*";
            } else if (mods.contains("startswith")) {
                w = w + "*";
            } else if (mods.contains("endswith")) {
                w = "*" + w;
            }
            out.add(Wildcards.compile(w, cased));
        }
        return out;
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The three encodings of {@code s} at byte offsets 0, 1 and 2 of a longer base64 text, with the
     * characters that depend on the unknown neighbours cut off (as pySigma does).
     */
    static List<String> base64Offsets(String s) {
        int[] start = {0, 2, 3};
        int[] endCut = {0, 3, 2};
        int len = s.getBytes(StandardCharsets.UTF_8).length;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String enc = base64(" ".repeat(i) + s);
            int cut = endCut[(len + i) % 3];
            out.add(enc.substring(start[i], enc.length() - cut));
        }
        return out;
    }

    /** Windows command-line flags may start with '-', '/', or dashes that look alike. */
    static List<String> windash(String s) {
        String[] dashes = {"-", "/", "\u2013", "\u2014", "\u2015"};
        List<String> out = new ArrayList<>();
        for (String d : dashes) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean flagStart = (c == '-' || c == '/')
                        && (i == 0 || !isWord(s.charAt(i - 1)))
                        && i + 1 < s.length() && isWord(s.charAt(i + 1));
                b.append(flagStart ? d : String.valueOf(c));
            }
            if (!out.contains(b.toString())) {
                out.add(b.toString());
            }
        }
        return out;
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
