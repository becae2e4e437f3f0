package io.fendersec.detect.correlate;

import java.util.Set;

/**
 * Fendersec's {@code rate_spike} (not Sigma v2.1): the number of events in the span, at least
 * {@code min_count} and a spike against the group's own baseline before the span ({@link Baseline}).
 */
final class RateSpike extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new EventTally() {
            @Override
            public boolean holds(Span span, CorrelationSpec s) {
                long measured = count(span);
                if (!s.condition().test(measured)) {
                    return false;
                }
                // The baseline: [start - length, start), cut to the group's history.
                long start = span.end() - s.timespanMillis();
                long from = Math.max(start - s.baseline().lengthMillis(), span.historyStart());
                return s.baseline().spike(measured, span.eventsBefore(from), start - from, s.timespanMillis());
            }
        };
    }

    @Override
    public Set<String> ownKeys() {
        return Set.of("baseline", "baseline-min");
    }

    @Override
    void check(CountCondition condition, Baseline baseline, Travel travel) {
        if (baseline == null) {
            throw new IllegalArgumentException("a baseline is needed by rate_spike, and only there");
        }
        if (travel != null || condition.percentile() != null) {
            throw new IllegalArgumentException("rate_spike takes neither travel settings nor a percentile");
        }
    }
}
