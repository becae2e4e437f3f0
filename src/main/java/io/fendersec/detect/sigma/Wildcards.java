package io.fendersec.detect.sigma;

import java.util.List;

import com.google.re2j.Pattern;

/**
 * Turns a parsed Sigma string ({@link SigmaString}: text, {@code *}, {@code ?}) into a matcher.
 * Comparison is case-insensitive unless the value is {@code cased}. Values whose only wildcards
 * are a leading and/or trailing {@code *} become plain string tests; others an anchored RE2
 * expression.
 */
final class Wildcards {
    private Wildcards() {}

    /** A written value (escapes read as the specification says). */
    static ValueMatcher compile(String written, boolean cased) {
        return compile(SigmaString.parse(written, false), cased);
    }

    static ValueMatcher compile(SigmaString value, boolean cased) {
        List<SigmaString.Part> parts = value.parts();
        int n = parts.size();
        if (n == 0) {
            return new ValueMatcher.Text(ValueMatcher.TextOp.EQUALS, "", cased);
        }
        boolean leading = parts.get(0) instanceof SigmaString.AnyRun;
        boolean trailing = n > 1 && parts.get(n - 1) instanceof SigmaString.AnyRun;
        int from = leading ? 1 : 0;
        int to = trailing ? n - 1 : n;
        if (to - from == 0) {
            return new ValueMatcher.Text(ValueMatcher.TextOp.CONTAINS, "", cased); // '*': any value
        }
        if (to - from == 1 && parts.get(from) instanceof SigmaString.Text t) {
            ValueMatcher.TextOp op = leading && trailing ? ValueMatcher.TextOp.CONTAINS
                    : leading ? ValueMatcher.TextOp.ENDS_WITH
                    : trailing ? ValueMatcher.TextOp.STARTS_WITH
                    : ValueMatcher.TextOp.EQUALS;
            return new ValueMatcher.Text(op, t.text(), cased);
        }
        StringBuilder regex = new StringBuilder();
        for (SigmaString.Part p : parts) {
            if (p instanceof SigmaString.Text t) {
                regex.append(Pattern.quote(t.text()));
            } else if (p instanceof SigmaString.AnyRun) {
                regex.append(".*");
            } else if (p instanceof SigmaString.OneChar) {
                regex.append('.');
            } else {
                throw new IllegalStateException("placeholder left in " + value);
            }
        }
        int flags = Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE);
        return new ValueMatcher.Regex(Pattern.compile(regex.toString(), flags), true);
    }
}
