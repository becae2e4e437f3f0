package io.fendersec.detect.correlate;

import java.util.Locale;

/**
 * The correlation types, each with its {@link CorrelationKind}: the one place a type is registered.
 * Sigma v2.1's seven, pySigma's {@code value_median}, and Fendersec's {@code rate_spike} and
 * {@code impossible_travel}.
 */
public enum CorrelationType {
    /** Number of matching events in the window. */
    EVENT_COUNT(new EventCount()),
    /** Number of distinct values of a field (or combinations of a list of fields) among matching events. */
    VALUE_COUNT(new ValueCount()),
    /** Number of distinct referenced rules that matched in the window, in any order. */
    TEMPORAL(new Temporal()),
    /** Length of the longest prefix of the referenced rules that matched in order in the window. */
    TEMPORAL_ORDERED(new TemporalOrdered()),
    /**
     * Fendersec extension (not Sigma v2.1): number of matching events in the window, compared with
     * the group's own average per window over a preceding baseline (see {@link Baseline}).
     */
    RATE_SPIKE(new RateSpike()),
    /**
     * Fendersec extension (not Sigma v2.1): a matching event and an earlier one of the group within
     * the timespan are too far apart for the time between them (see {@link Travel}).
     */
    IMPOSSIBLE_TRAVEL(new ImpossibleTravel()),
    /** Sum of a numeric field over the matching events in the window. */
    VALUE_SUM(new ValueSum()),
    /** Mean of a numeric field over the matching events in the window. */
    VALUE_AVG(new ValueAvg()),
    /** A percentile (nearest rank) of a numeric field over the matching events in the window. */
    VALUE_PERCENTILE(new ValuePercentile()),
    /** pySigma's extension: median of a numeric field over the matching events in the window. */
    VALUE_MEDIAN(new ValueMedian());

    private final transient CorrelationKind kind;

    CorrelationType(CorrelationKind kind) {
        this.kind = kind;
    }

    public CorrelationKind kind() {
        return kind;
    }

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
