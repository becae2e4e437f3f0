package io.fendersec.detect.correlate;

import java.io.Serializable;

/**
 * The baseline of a {@code rate_spike} correlation (a Fendersec extension; Sigma v2.1 has no
 * baseline comparison): the span ending at a matching event {@code t} holds when it has at least
 * {@code ratio} times the group's own average count per timespan over the {@code lengthMillis}
 * before the span ({@code [t - timespan - length, t - timespan)}), and the group's history (its
 * first event kept in state) covers at least {@code minMillis} of that baseline. An empty baseline
 * of sufficient length makes any count that passes {@code min_count} a spike.
 */
public record Baseline(long lengthMillis, long minMillis, double ratio) implements Serializable {
    public Baseline {
        if (lengthMillis <= 0 || minMillis < 0 || minMillis > lengthMillis) {
            throw new IllegalArgumentException("baseline needs 0 <= baseline-min <= baseline, baseline > 0");
        }
        if (!(ratio > 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("ratio must be a positive number");
        }
    }

    /**
     * Whether {@code count} in a span of {@code timespan} is a spike against {@code baselineCount}
     * events over {@code baselineMillis} (the part of the baseline the history covers).
     */
    public boolean spike(long count, long baselineCount, long baselineMillis, long timespan) {
        if (baselineMillis < minMillis || baselineMillis <= 0) {
            return false;
        }
        // count >= ratio * (baselineCount * timespan / baselineMillis), without dividing
        return (double) count * baselineMillis >= ratio * baselineCount * (double) timespan;
    }
}
