package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.List;

/** What the sliding window needs to know about a correlation rule. */
public record CorrelationSpec(CorrelationType type, long timespanMillis, CountCondition condition, List<String> rules)
        implements Serializable {
    public CorrelationSpec {
        rules = List.copyOf(rules);
        if (timespanMillis < 0) {
            throw new IllegalArgumentException("timespan must not be negative");
        }
    }
}
