package io.fendersec.detect.correlate;

import java.util.Locale;

/** The four Sigma correlation types, and Fendersec's {@code rate_spike} and {@code impossible_travel}. */
public enum CorrelationType {
    /** Number of matching events in the window. */
    EVENT_COUNT,
    /** Number of distinct values of one field among matching events in the window. */
    VALUE_COUNT,
    /** Number of distinct referenced rules that matched in the window, in any order. */
    TEMPORAL,
    /** Length of the longest prefix of the referenced rules that matched in order in the window. */
    TEMPORAL_ORDERED,
    /**
     * Fendersec extension (not Sigma v2.1): number of matching events in the window, compared with
     * the group's own average per window over a preceding baseline (see {@link Baseline}).
     */
    RATE_SPIKE,
    /**
     * Fendersec extension (not Sigma v2.1): a matching event and an earlier one of the group within
     * the timespan are too far apart for the time between them (see {@link Travel}).
     */
    IMPOSSIBLE_TRAVEL;

    public String sigmaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CorrelationType ofSigma(String s) {
        for (CorrelationType t : values()) {
            if (t.sigmaName().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
