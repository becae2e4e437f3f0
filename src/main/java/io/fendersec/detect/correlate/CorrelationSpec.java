package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.List;

/**
 * What the sliding window needs to know about a correlation rule.
 *
 * @param baseline the baseline of a {@code rate_spike}, else null
 * @param travel   the settings of an {@code impossible_travel}, else null; its condition bounds the speed (km/h)
 */
public record CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules,
                              Baseline baseline, Travel travel) implements Serializable {
    public CorrelationSpec {
        rules = List.copyOf(rules);
        if (timespanMillis < 0) {
            throw new IllegalArgumentException("timespan must not be negative");
        }
        type.kind().check(condition, baseline, travel); // the kind says which settings it needs
    }

    public CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules,
                           Baseline baseline) {
        this(type, timespanMillis, condition, rules, baseline, null);
    }

    public CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules) {
        this(type, timespanMillis, condition, rules, null);
    }

    /** How far back from a span's end the events it is judged on reach: timespan, plus the baseline if any. */
    public long horizonMillis() {
        return timespanMillis + (baseline == null ? 0 : baseline.lengthMillis());
    }
}
