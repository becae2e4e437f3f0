package io.fendersec.detect.correlate;

import java.util.List;

/**
 * Sigma's {@code temporal_ordered}: the length of the longest prefix of the referenced rules that
 * matched in order in the span. Order is not a tally: a greedy scan of the span finds it.
 */
final class TemporalOrdered extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new EventTally() {
            @Override
            long count(Span span) {
                return orderedPrefix(span.events(), span.from(), span.to(), spec.rules());
            }
        };
    }

    /** Without a condition: every referenced rule, in order. */
    @Override
    public CountCondition defaultCondition(int referencedRules) {
        return CountCondition.of(CountCondition.Op.GTE, referencedRules);
    }

    /** The longest prefix of {@code order} matched in order by events {@code i..j}. */
    static int orderedPrefix(List<Hit> events, int i, int j, List<String> order) {
        int next = 0;
        for (int x = i; x <= j && next < order.size(); x++) {
            if (events.get(x).source().equals(order.get(next))) {
                next++;
            }
        }
        return next;
    }
}
