package io.fendersec.detect.correlate;

import java.math.BigDecimal;

/**
 * pySigma's {@code value_median}: the median of the field's numbers over the span's events, the
 * middle number of an odd count, the mean of the two middle numbers of an even count.
 */
final class ValueMedian extends MetricKind {
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    @Override
    Tally tally(CorrelationSpec spec) {
        return new Ranked() {
            @Override
            BigDecimal measure() {
                if (n == 0) {
                    return null;
                }
                if (n % 2 == 1) {
                    return kth(n / 2 + 1);
                }
                return kth(n / 2).add(kth(n / 2 + 1)).divide(TWO); // exact: a half of a decimal ends
            }
        };
    }
}
