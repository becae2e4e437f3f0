package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * A cheap necessary condition for a regular expression: every text the expression finds a match
 * in contains (case-insensitively) at least one of a few literal strings. Testing them with
 * {@link String#indexOf} costs a fraction of running the RE2/J machine, and most logs contain
 * none of them, so the regex runs only on the logs that can match.
 *
 * <p>Literals are compared against {@linkplain #fold folded} text, which makes the test sound
 * for case-insensitive expressions too: RE2 matches ASCII letters case-insensitively also against
 * the Kelvin sign (U+212A) and the long s (U+017F), and folding maps those to {@code k} and
 * {@code s}. Only ASCII characters and characters without case enter a literal.
 */
public final class LiteralPrefilter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] literals;

    private LiteralPrefilter(Set<String> literals) {
        this.literals = literals.toArray(new String[0]);
    }

    /** The prefilter for an RE2 expression, or null when no literal is required (always run it). */
    public static LiteralPrefilter forRegex(String regex) {
        Set<String> required = RegexLiterals.required(regex);
        return required == null ? null : new LiteralPrefilter(required);
    }

    /** Lower case as seen by case-insensitive RE2 for the characters that can enter a literal. */
    public static String fold(String text) {
        String lower = text.toLowerCase(Locale.ROOT); // also maps the Kelvin sign to 'k'
        return lower.indexOf('\u017f') < 0 ? lower : lower.replace('\u017f', 's');
    }

    /** False only when the expression cannot match {@code text}; {@code folded} is {@code fold(text)}. */
    public boolean mayMatch(String folded) {
        for (String l : literals) {
            if (folded.contains(l)) {
                return true;
            }
        }
        return false;
    }

    /** The literals, one of which a matching text contains (lower case). */
    public Set<String> literals() {
        return Set.of(literals);
    }

    @Override
    public String toString() {
        return "LiteralPrefilter" + java.util.Arrays.toString(literals);
    }
}
