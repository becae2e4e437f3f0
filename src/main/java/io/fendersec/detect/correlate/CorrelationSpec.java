package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.List;

/**
 * What the sliding window needs to know about a correlation rule.
 *
 * @param baseline the baseline of a {@code rate_spike}, else null
 */
public record CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules,
                              Baseline baseline) implements Serializable {
    public CorrelationSpec {
        rules = List.copyOf(rules);
        if (timespanMillis < 0) {
            throw new IllegalArgumentException("timespan must not be negative");
        }
        if ((type == CorrelationType.RATE_SPIKE) != (baseline != null)) {
            throw new IllegalArgumentException("a baseline is needed by rate_spike, and only there");
        }
    }

    public CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules) {
        this(type, timespanMillis, condition, rules, null);
    }

    /** How far back from a span's end the events it is judged on reach: timespan, plus the baseline if any. */
    public long horizonMillis() {
        return timespanMillis + (baseline == null ? 0 : baseline.lengthMillis());
    }
}
