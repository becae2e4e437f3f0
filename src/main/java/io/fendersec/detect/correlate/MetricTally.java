package io.fendersec.detect.correlate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A tally of the numbers the span's events carry (the metric types): the condition bounds an exact
 * decimal. An event whose value is no number ({@link MetricValue}) does not take part; a span
 * without numbers measures nothing and does not hold.
 */
abstract class MetricTally implements Tally {
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    /** The measure of the numbers entered and not left, null when there are none. */
    abstract BigDecimal measure();

    abstract void enter(BigDecimal v);

    abstract void leave(BigDecimal v);

    @Override
    public final void enter(Hit h) {
        BigDecimal v = MetricValue.parse(h.value());
        if (v != null) {
            enter(v);
        }
    }

    @Override
    public final void leave(Hit h) {
        BigDecimal v = MetricValue.parse(h.value());
        if (v != null) {
            leave(v);
        }
    }

    @Override
    public boolean holds(Span span, CorrelationSpec spec) {
        BigDecimal m = measure();
        return m != null && spec.condition().test(m);
    }

    /** The measure rounded down (alerts carry whole counts; the condition was tested on the exact value). */
    @Override
    public long reported(Span span) {
        BigDecimal m = measure();
        if (m == null) {
            return 0;
        }
        BigDecimal whole = m.setScale(0, RoundingMode.FLOOR);
        return whole.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE
                : whole.compareTo(LONG_MIN) < 0 ? Long.MIN_VALUE : whole.longValue();
    }
}
