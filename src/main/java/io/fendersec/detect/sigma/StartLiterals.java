package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.Set;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Finds the leftmost match of an RE2 expression whose every match starts with one of a few
 * literals ({@code (?i)\b(?:user|login|e-?mail)\s*=...}): instead of RE2/J's unanchored search,
 * which starts a thread of its NFA at every position of the text, it runs the expression anchored
 * at each place one of the literals occurs, in text order, and the first that matches is the
 * leftmost match. An anchored run that fails usually dies within a few characters.
 *
 * <p>The same match as {@link Matcher#find()}: RE2 picks the leftmost start, then the match the
 * expression prefers there, and no match can start where no literal does. A run at position
 * {@code p > 0} goes through {@code (?s:.)(?:expression)} from {@code p - 1}, so that assertions
 * such as {@code \b} see the character before {@code p}. After {@link #MAX_ATTEMPTS} failed runs
 * it falls back to one unanchored search from the next candidate, which keeps the cost linear
 * however many times the literals occur.
 */
public final class StartLiterals implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int MAX_ATTEMPTS = 8;

    private final Pattern regex;
    private final Pattern afterContext;
    private final String[] literals;

    private StartLiterals(Pattern regex, Pattern afterContext, Set<String> literals) {
        this.regex = regex;
        this.afterContext = afterContext;
        this.literals = literals.toArray(new String[0]);
    }

    /** The search for {@code regex}, or null when its matches have no known start literals. */
    public static StartLiterals forRegex(Pattern regex) {
        Set<String> starts = RegexLiterals.starts(regex.pattern());
        if (starts == null) {
            return null;
        }
        try {
            return new StartLiterals(regex, Pattern.compile("(?s:.)(?:" + regex.pattern() + ")", regex.flags()),
                    starts);
        } catch (PatternSyntaxException e) {
            return null; // cannot happen for an expression that compiled alone; then search plainly
        }
    }

    /** The leftmost match: its groups as {@link Matcher#group(int)} gives them. */
    public static final class Found {
        private final Matcher matcher;
        private final boolean afterContext;

        private Found(Matcher matcher, boolean afterContext) {
            this.matcher = matcher;
            this.afterContext = afterContext;
        }

        /** Group {@code k} (0 = the whole match), null when it did not take part. */
        public String group(int k) {
            String g = matcher.group(k);
            // group 0 of (?s:.)(?:expression) starts with the context character
            return k == 0 && afterContext ? g.substring(1) : g;
        }
    }

    /**
     * The leftmost match in {@code text}, or null when there is none. {@code folded} is
     * {@link LiteralPrefilter#fold fold(text)}.
     */
    public Found find(String text, String folded) {
        if (folded.length() != text.length()) {
            // Lower-casing changed the length, so positions do not line up: search plainly.
            Matcher m = regex.matcher(text);
            return m.find() ? new Found(m, false) : null;
        }
        int from = 0;
        for (int attempt = 0; ; attempt++) {
            int p = next(folded, from);
            if (p < 0) {
                return null;
            }
            if (attempt == MAX_ATTEMPTS) {
                Matcher m = regex.matcher(text);
                return m.find(p) ? new Found(m, false) : null;
            }
            Matcher m = p == 0 ? regex.matcher(text) : afterContext.matcher(text.substring(p - 1));
            if (m.lookingAt()) {
                return new Found(m, p > 0);
            }
            from = p + 1;
        }
    }

    /** The first position at or after {@code from} where a literal occurs, or -1. */
    private int next(String folded, int from) {
        int best = -1;
        for (String l : literals) {
            int i = folded.indexOf(l, from);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "StartLiterals" + java.util.Arrays.toString(literals);
    }
}
