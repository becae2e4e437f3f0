package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A necessary condition of a detection, for the rule index: literals of which a matching log
 * contains at least one, each in a given field's {@linkplain Event#folded folded} value (or, for
 * keywords, in {@linkplain Event#keywordText the keyword text}). Derived from the same matchers
 * the predicate uses, conservatively: negations, {@code exists}, {@code null} and conditions
 * other than a conjunction of identifiers yield no requirement (always evaluate); CIDR and
 * numeric comparisons require only that the field be present (the empty literal).
 */
public final class RequiredLiterals {
    /** Stands for "any field" (keywords): the literal is looked up in the keyword text. */
    public static final String KEYWORDS = "*";

    /** One literal in one field. */
    public record Literal(String field, String text) implements Serializable {}

    private RequiredLiterals() {}

    /** Literals one of which every log matching {@code detection} holds, or null when none are known. */
    public static Set<Literal> of(YamlNode detection) {
        Map<String, YamlNode> sections = detection.asMap();
        YamlNode condition = sections.get("condition");
        if (condition == null || !condition.isScalar()) {
            return null;
        }
        List<String> tokens = ConditionParser.tokenize(condition.asText());
        Set<Literal> best = null;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (i % 2 == 1) {
                if (!t.equalsIgnoreCase("and")) {
                    return null; // or, not, parentheses, 'of': not modelled
                }
                continue;
            }
            YamlNode search = sections.get(t);
            if (search == null || t.equals("condition")) {
                return null;
            }
            best = better(best, search(search));
        }
        return tokens.size() % 2 == 1 ? best : null;
    }

    private static Set<Literal> search(YamlNode search) {
        if (search.isMap()) {
            Set<Literal> best = null;
            for (Map.Entry<String, YamlNode> e : search.asMap().entrySet()) {
                best = better(best, field(e.getKey(), e.getValue()));
            }
            return best;
        }
        List<YamlNode> items = search.asListOrSingle();
        if (!items.isEmpty() && items.stream().allMatch(YamlNode::isMap)) {
            Set<Literal> any = new LinkedHashSet<>();
            for (YamlNode m : items) {
                Set<Literal> s = search(m);
                if (s == null) {
                    return null;
                }
                any.addAll(s);
            }
            return any;
        }
        Set<Literal> any = new LinkedHashSet<>();
        for (YamlNode k : items) {
            ValueMatcher m = Wildcards.compile("*" + k.asText() + "*", false);
            if (!(m instanceof ValueMatcher.Text t) || t.op() != ValueMatcher.TextOp.CONTAINS
                    || t.expected().isEmpty() || t.expected().indexOf(Event.KEYWORD_SEPARATOR) >= 0) {
                return null; // tested value by value, see DetectionCompiler.keywords
            }
            any.add(new Literal(KEYWORDS, t.expected()));
        }
        return any.isEmpty() ? null : any;
    }

    private static Set<Literal> field(String key, YamlNode valueNode) {
        String[] parts = key.split("\\|", -1);
        Set<String> mods = new LinkedHashSet<>(List.of(parts).subList(1, parts.length));
        if (mods.contains("neq") || mods.contains("exists")) {
            return null;
        }
        boolean all = mods.contains("all");
        Set<Literal> any = new LinkedHashSet<>();
        Set<Literal> best = null;
        for (YamlNode v : valueNode.asListOrSingle()) {
            for (ValueMatcher m : DetectionCompiler.valueMatchers(v, mods, key)) {
                Set<Literal> one = matcher(parts[0], m);
                if (all) {
                    best = better(best, one);
                } else if (one == null) {
                    return null;
                } else {
                    any.addAll(one);
                }
            }
        }
        return all ? best : (any.isEmpty() ? null : any);
    }

    private static Set<Literal> matcher(String field, ValueMatcher m) {
        if (m instanceof ValueMatcher.Text t && !t.cased() && !t.expected().isEmpty()) {
            // the predicate tests lower(field); folding both sides keeps containment
            return Set.of(new Literal(field, LiteralPrefilter.fold(t.expected())));
        }
        if (m instanceof ValueMatcher.Cidr || m instanceof ValueMatcher.Numeric) {
            // never true of a missing field: the empty literal asks only that the field be there
            return Set.of(new Literal(field, ""));
        }
        if (m instanceof ValueMatcher.Regex r && r.prefilter() != null) {
            Set<Literal> out = new LinkedHashSet<>();
            for (String l : r.prefilter().literals()) {
                out.add(new Literal(field, l));
            }
            return out;
        }
        return null;
    }

    /** The more selective of two requirements: fewer literals, then longer ones. */
    private static Set<Literal> better(Set<Literal> a, Set<Literal> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.size() != b.size()) {
            return a.size() < b.size() ? a : b;
        }
        return minLength(a) >= minLength(b) ? a : b;
    }

    private static int minLength(Set<Literal> s) {
        int m = Integer.MAX_VALUE;
        for (Literal l : s) {
            m = Math.min(m, l.text().length());
        }
        return m;
    }
}
