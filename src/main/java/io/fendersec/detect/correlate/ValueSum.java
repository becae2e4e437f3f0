package io.fendersec.detect.correlate;

import java.math.BigDecimal;

/** Sigma's {@code value_sum}: the sum of the field's numbers over the span's events. */
final class ValueSum extends MetricKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new Sum();
    }

    /** A running sum: exact, so what leaves takes out exactly what it brought. */
    static class Sum extends MetricTally {
        BigDecimal sum = BigDecimal.ZERO;
        long n;

        @Override
        void enter(BigDecimal v) {
            sum = sum.add(v);
            n++;
        }

        @Override
        void leave(BigDecimal v) {
            sum = sum.subtract(v);
            n--;
        }

        @Override
        BigDecimal measure() {
            return n == 0 ? null : sum;
        }
    }
}
