package io.fendersec.detect.correlate;

/**
 * Sigma's {@code temporal}: the number of distinct referenced rules that matched in the span, in any
 * order; with a Sigma v2.2 expression condition ({@link TemporalCondition}), that number when the
 * expression holds over the rules present, else 0.
 */
final class Temporal extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        Distinct present = new Distinct(h -> spec.rules().contains(h.source()) ? h.source() : null);
        TemporalCondition expression = spec.temporal();
        if (expression == null) {
            return present;
        }
        return new CountTally() {
            @Override
            public void enter(Hit h) {
                present.enter(h);
            }

            @Override
            public void leave(Hit h) {
                present.leave(h);
            }

            @Override
            long count(Span span) {
                return expression.measurePresent(present.keys());
            }
        };
    }

    /** Without a condition: every referenced rule. */
    @Override
    public CountCondition defaultCondition(int referencedRules) {
        return CountCondition.of(CountCondition.Op.GTE, referencedRules);
    }

    @Override
    public boolean takesExpression() {
        return true;
    }
}
