package io.fendersec.detect.correlate;

/** Sigma's {@code temporal}: the number of distinct referenced rules that matched in the span, in any order. */
final class Temporal extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new Distinct(h -> spec.rules().contains(h.source()) ? h.source() : null);
    }

    /** Without a condition: every referenced rule. */
    @Override
    public CountCondition defaultCondition(int referencedRules) {
        return CountCondition.of(CountCondition.Op.GTE, referencedRules);
    }
}
