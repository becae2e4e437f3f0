package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A necessary condition of a detection, for the rule index: literals of which a matching log
 * contains at least one, each in a given field's {@linkplain Event#folded folded} value (or, for
 * keywords, in {@linkplain Event#keywordText the keyword text}). Read from the same parsed tree
 * and matchers the predicate is compiled from ({@link DetectionNode}, {@link FieldTest}):
 * {@code and} keeps the more selective side, {@code or} the union of both sides, {@code not}
 * and {@code neq} require nothing. A test that holds only for a present field
 * ({@link FieldTest#requiresValue}) requires at least that field (the empty literal), so a rule
 * reading fields a log does not have costs that log nothing.
 */
public final class RequiredLiterals {
    /** Stands for "any field" (keywords): the literal is looked up in the keyword text. */
    public static final String KEYWORDS = "*";

    /** One literal in one field; the empty text asks only that the field have a value. */
    public record Literal(String field, String text) implements Serializable {}

    private RequiredLiterals() {}

    /** Literals one of which every log matching {@code node} holds, or null when none are known. */
    public static Set<Literal> of(DetectionNode node) {
        if (node instanceof DetectionNode.And a) {
            Set<Literal> best = null;
            for (DetectionNode p : a.parts()) {
                best = better(best, of(p));
            }
            return best;
        }
        if (node instanceof DetectionNode.Or o) {
            return union(o.parts().stream().map(RequiredLiterals::of).toList());
        }
        if (node instanceof DetectionNode.Not) {
            return null;
        }
        return of(((DetectionNode.Test) node).test());
    }

    static Set<Literal> of(FieldTest t) {
        if (t.negated()) {
            return null;
        }
        List<Set<Literal>> each = t.matchers().stream().map(m -> matcher(t, m)).toList();
        if (t.all()) {
            Set<Literal> best = null;
            for (Set<Literal> s : each) {
                best = better(best, s);
            }
            return best;
        }
        return union(each);
    }

    /** Literals one of which a value matching {@code m} in the test's field contains, or null. */
    private static Set<Literal> matcher(FieldTest t, ValueMatcher m) {
        if (t.isKeywords()) {
            // A keyword matches some value v; the keyword text holds every lower(v).
            if (m instanceof ValueMatcher.Text x && !x.cased() && !x.expected().isEmpty()) {
                return Set.of(new Literal(KEYWORDS, x.expected())); // lower(v) equals, starts, ends with or contains it
            }
            if (m instanceof ValueMatcher.Regex r && r.prefilter() != null) {
                return keywordVariants(r.prefilter().literals());
            }
            return null; // tested value by value
        }
        String field = t.field();
        if (m instanceof ValueMatcher.Text x && !x.cased() && !x.expected().isEmpty()) {
            // the predicate tests lower(field); folding both sides keeps containment
            return Set.of(new Literal(field, LiteralPrefilter.fold(x.expected())));
        }
        if (m instanceof ValueMatcher.Regex r && r.prefilter() != null) {
            Set<Literal> out = new LinkedHashSet<>();
            for (String l : r.prefilter().literals()) {
                out.add(new Literal(field, l));
            }
            return out;
        }
        // never true of a missing field: the empty literal asks only that the field be there
        return m.needsValue() ? Set.of(new Literal(field, "")) : null;
    }

    /** More 's' than this in a prefilter literal: no requirement, rather than 2^n variants. */
    private static final int MAX_S = 3;

    /**
     * A wildcard or regex keyword: its prefilter's literals are in fold(lower(v)), which is lower(v)
     * with the long s (U+017F) read as 's'; so lower(v), and the keyword text, holds the literal
     * with each 's' as 's' or as the long s. Those variants are the requirement.
     */
    private static Set<Literal> keywordVariants(Set<String> folded) {
        Set<Literal> out = new LinkedHashSet<>();
        for (String l : folded) {
            if (l.isEmpty() || l.chars().filter(c -> c == 's').count() > MAX_S) {
                return null;
            }
            addVariants(l, 0, out);
        }
        return out;
    }

    private static void addVariants(String l, int from, Set<Literal> out) {
        int i = l.indexOf('s', from);
        if (i < 0) {
            out.add(new Literal(KEYWORDS, l));
            return;
        }
        addVariants(l, i + 1, out);
        addVariants(l.substring(0, i) + '\u017f' + l.substring(i + 1), i + 1, out);
    }

    /** Null when one side requires nothing, else every literal of every side. */
    private static Set<Literal> union(List<Set<Literal>> sides) {
        Set<Literal> any = new LinkedHashSet<>();
        for (Set<Literal> s : sides) {
            if (s == null) {
                return null;
            }
            any.addAll(s);
        }
        return any.isEmpty() ? null : any;
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
