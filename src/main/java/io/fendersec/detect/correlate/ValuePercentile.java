package io.fendersec.detect.correlate;

import java.math.BigDecimal;

/**
 * Sigma's {@code value_percentile}: the {@code percentile} (condition key, 1 to 100, as pySigma
 * reads it) of the field's numbers over the span's events, by nearest rank: the smallest number
 * that at least {@code p}% of the numbers are less than or equal to, that is the
 * {@code ceil(p/100 * n)}-th smallest. Always one of the numbers seen, never an interpolation.
 */
final class ValuePercentile extends MetricKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        int p = spec.condition().percentile();
        return new Ranked() {
            @Override
            BigDecimal measure() {
                if (n == 0) {
                    return null;
                }
                long rank = (p * n + 99) / 100; // ceil(p * n / 100), exact in longs
                return kth(Math.max(1, rank));
            }
        };
    }

    @Override
    public boolean takesPercentile() {
        return true;
    }
}
