package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.List;

/**
 * What the sliding window needs to know about a correlation rule.
 *
 * @param baseline the baseline of a {@code rate_spike}, else null
 * @param travel   the settings of an {@code impossible_travel}, else null; its condition bounds the speed (km/h)
 * @param temporal the Sigma v2.2 expression condition of a {@code temporal} or {@code temporal_ordered}
 *                 ({@link TemporalCondition}), else null; with it, {@code condition} is {@code gte 1}
 */
public record CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules,
                              Baseline baseline, Travel travel, TemporalCondition temporal) implements Serializable {
    public CorrelationSpec {
        rules = List.copyOf(rules);
        if (timespanMillis < 0) {
            throw new IllegalArgumentException("timespan must not be negative");
        }
        type.kind().check(condition, baseline, travel); // the kind says which settings it needs
        if (temporal != null && !type.kind().takesExpression()) {
            throw new IllegalArgumentException("an expression condition is for temporal and temporal_ordered only");
        }
    }

    public CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules,
                           Baseline baseline, Travel travel) {
        this(type, timespanMillis, condition, rules, baseline, travel, null);
    }

    /** Whether windows are judged when they close (a temporal condition with {@code not}), not at each hit. */
    public boolean judgedAtClose() {
        return temporal != null && temporal.isAbsence();
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
