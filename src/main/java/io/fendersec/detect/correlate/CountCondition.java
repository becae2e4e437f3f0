package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A correlation's {@code condition}: one or more bounds that must all hold for the measured count
 * ({@code gt: 100, lte: 200} is a range). Bounds are exact decimals: the metric types
 * ({@code value_avg: {gt: 0.5}}) take fractions, and comparing decimals exactly means no
 * rounding decides an alert.
 */
public final class CountCondition implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Op { GT, GTE, LT, LTE, EQ, NEQ }

    public record Bound(Op op, BigDecimal value) implements Serializable {
        public Bound {
            value = value.stripTrailingZeros(); // 5 and 5.0 are one threshold, and print as written
        }

        public Bound(Op op, long value) {
            this(op, BigDecimal.valueOf(value));
        }

        boolean test(long n) {
            return test(BigDecimal.valueOf(n));
        }

        boolean test(BigDecimal n) {
            int c = n.compareTo(value);
            switch (op) {
                case GT:
                    return c > 0;
                case GTE:
                    return c >= 0;
                case LT:
                    return c < 0;
                case LTE:
                    return c <= 0;
                case EQ:
                    return c == 0;
                default:
                    return c != 0;
            }
        }

        /** The threshold as a whole number (count types take only whole numbers). */
        public long whole() {
            return value.longValueExact();
        }

        @Override
        public String toString() {
            return op.name().toLowerCase(Locale.ROOT) + " " + value.toPlainString();
        }
    }

    private final List<Bound> bounds;
    /** Which percentile a {@code value_percentile} measures (1 to 100), else null: pySigma keeps it in the condition. */
    private final Integer percentile;

    public CountCondition(List<Bound> bounds) {
        this(bounds, null);
    }

    public CountCondition(List<Bound> bounds, Integer percentile) {
        if (bounds.isEmpty()) {
            throw new IllegalArgumentException("a condition needs at least one bound");
        }
        if (percentile != null && (percentile < 1 || percentile > 100)) {
            throw new IllegalArgumentException("a percentile is a whole number from 1 to 100");
        }
        this.bounds = Collections.unmodifiableList(new ArrayList<>(bounds));
        this.percentile = percentile;
    }

    /** Which percentile a {@code value_percentile} measures, null for the other types. */
    public Integer percentile() {
        return percentile;
    }

    public static CountCondition of(Op op, long value) {
        return new CountCondition(List.of(new Bound(op, value)));
    }

    public boolean test(long n) {
        for (Bound b : bounds) {
            if (!b.test(n)) {
                return false;
            }
        }
        return true;
    }

    /** The same test on an exact decimal measure (the metric types). */
    public boolean test(BigDecimal n) {
        for (Bound b : bounds) {
            if (!b.test(n)) {
                return false;
            }
        }
        return true;
    }

    public List<Bound> bounds() {
        return bounds;
    }

    /** The same condition with its single bound's number replaced (the {@code threshold} override). */
    public CountCondition withThreshold(long value) {
        if (bounds.size() != 1) {
            throw new IllegalArgumentException("a range condition has no single threshold");
        }
        return new CountCondition(List.of(new Bound(bounds.get(0).op(), value)), percentile);
    }

    /** Whether every bound is a whole number (the count types need that). */
    public boolean whole() {
        for (Bound b : bounds) {
            if (b.value().scale() > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String b = String.join(" and ", bounds.stream().map(Bound::toString).toList());
        return percentile == null ? b : "percentile " + percentile + " " + b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountCondition && ((CountCondition) o).bounds.equals(bounds)
                && Objects.equals(((CountCondition) o).percentile, percentile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bounds, percentile);
    }
}
