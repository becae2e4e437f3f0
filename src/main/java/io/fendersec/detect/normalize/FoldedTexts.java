package io.fendersec.detect.normalize;

import java.util.Locale;

import io.fendersec.detect.sigma.LiteralPrefilter;

/**
 * The lower-case and {@linkplain LiteralPrefilter#fold folded} forms of the texts one log's rules
 * and extractors read, each computed once: dozens of rules and extractors read {@code text}, so
 * it is lower-cased once per log rather than once per reader. Remembers the last few texts by
 * identity, which covers a log's fields. Not thread-safe: one per log.
 */
final class FoldedTexts {
    private static final int SLOTS = 4;

    private final String[] sources = new String[SLOTS];
    private final String[] lowers = new String[SLOTS];
    private int next;

    /** {@code text} in lower case (Locale.ROOT). */
    String lower(String text) {
        for (int i = 0; i < SLOTS; i++) {
            if (sources[i] == text) {
                return lowers[i];
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        sources[next] = text;
        lowers[next] = lower;
        next = (next + 1) % SLOTS;
        return lower;
    }

    /** {@code LiteralPrefilter.fold(text)}: lower case plus the long s; a copy only for texts containing one. */
    String of(String text) {
        String lower = lower(text);
        return lower.indexOf('\u017f') < 0 ? lower : LiteralPrefilter.fold(lower);
    }
}
