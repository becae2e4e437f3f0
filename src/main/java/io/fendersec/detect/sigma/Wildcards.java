package io.fendersec.detect.sigma;

import com.google.re2j.Pattern;

/**
 * Sigma string values: {@code *} matches any run of characters, {@code ?} one character, and a
 * backslash escapes {@code *}, {@code ?} or itself (any other backslash is literal). Comparison
 * is case-insensitive unless the value is {@code cased}.
 */
final class Wildcards {
    private Wildcards() {}

    static ValueMatcher compile(String value, boolean cased) {
        StringBuilder literal = new StringBuilder();
        StringBuilder regex = new StringBuilder();
        boolean leadingStar = false;
        boolean trailingStar = false;
        boolean innerWildcard = false;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < n && (value.charAt(i + 1) == '*' || value.charAt(i + 1) == '?'
                    || value.charAt(i + 1) == '\\')) {
                literal.append(value.charAt(++i));
                regex.append(Pattern.quote(String.valueOf(value.charAt(i))));
                if (trailingStar) {
                    innerWildcard = true;
                }
            } else if (c == '*') {
                regex.append(".*");
                if (i == 0) {
                    leadingStar = true;
                } else if (i == n - 1) {
                    trailingStar = true;
                } else {
                    innerWildcard = true;
                }
            } else if (c == '?') {
                regex.append('.');
                innerWildcard = true;
            } else {
                literal.append(c);
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (!innerWildcard) {
            ValueMatcher.TextOp op = leadingStar && trailingStar ? ValueMatcher.TextOp.CONTAINS
                    : leadingStar ? ValueMatcher.TextOp.ENDS_WITH
                    : trailingStar ? ValueMatcher.TextOp.STARTS_WITH
                    : ValueMatcher.TextOp.EQUALS;
            if (!(value.equals("*") && op == ValueMatcher.TextOp.ENDS_WITH)) {
                return new ValueMatcher.Text(op, literal.toString(), cased);
            }
            return new ValueMatcher.Text(ValueMatcher.TextOp.CONTAINS, "", cased); // '*': any value
        }
        int flags = Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE);
        return new ValueMatcher.Regex(Pattern.compile(regex.toString(), flags), true);
    }
}
