package io.fendersec.detect.correlate;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Sigma's {@code value_avg}: the mean of the field's numbers over the span's events (events
 * without a number are not in the denominator), to 34 significant digits.
 */
final class ValueAvg extends MetricKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new ValueSum.Sum() {
            @Override
            BigDecimal measure() {
                return n == 0 ? null : sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
            }
        };
    }
}
