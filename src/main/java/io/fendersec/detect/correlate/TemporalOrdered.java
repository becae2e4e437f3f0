package io.fendersec.detect.correlate;

import java.util.List;

/**
 * Sigma's {@code temporal_ordered}: the length of the longest prefix of the referenced rules that
 * matched in order in the span; with a Sigma v2.2 expression condition ({@link TemporalCondition}),
 * the number of its rules present when the expression holds in order, else 0. Order is not a
 * tally: a scan of the span finds it.
 */
final class TemporalOrdered extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        TemporalCondition expression = spec.temporal();
        return new EventTally() {
            @Override
            long count(Span span) {
                return expression != null ? expression.measure(span.events(), span.from(), span.to(), true)
                        : orderedPrefix(span.events(), span.from(), span.to(), spec.rules());
            }
        };
    }

    /** Without a condition: every referenced rule, in order. */
    @Override
    public CountCondition defaultCondition(int referencedRules) {
        return CountCondition.of(CountCondition.Op.GTE, referencedRules);
    }

    @Override
    public boolean takesExpression() {
        return true;
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
