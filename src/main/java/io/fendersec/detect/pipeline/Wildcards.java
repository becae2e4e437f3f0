package io.fendersec.detect.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The wildcards {@code contains}, {@code startswith} and {@code endswith} mean, written into a
 * value: pySigma applies these modifiers when it reads a rule, so its value transformations see
 * {@code *text*}; so do ours.
 */
final class Wildcards {
    static final Set<String> POSITIONAL = Set.of("contains", "startswith", "endswith");

    private Wildcards() {}

    /** {@code written} with the wildcards of the positional modifiers among {@code modifiers} around it. */
    static String fold(String written, List<String> modifiers, boolean placeholders) {
        boolean before = false;
        boolean after = false;
        for (String m : modifiers) {
            switch (m.toLowerCase(Locale.ROOT)) {
                case "contains" -> {
                    before = true;
                    after = true;
                }
                case "startswith" -> after = true;
                case "endswith" -> before = true;
                default -> { }
            }
        }
        String s = written;
        if (before && !s.startsWith("*")) {
            s = "*" + s;
        }
        if (after && !(s.endsWith("*") && !s.endsWith("\\*"))) {
            s = s + "*";
        }
        return s;
    }
}
