package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A correlation's {@code condition}: one or more bounds that must all hold for the measured count
 * ({@code gt: 100, lte: 200} is a range).
 */
public final class CountCondition implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Op { GT, GTE, LT, LTE, EQ, NEQ }

    public record Bound(Op op, long value) implements Serializable {
        boolean test(long n) {
            switch (op) {
                case GT:
                    return n > value;
                case GTE:
                    return n >= value;
                case LT:
                    return n < value;
                case LTE:
                    return n <= value;
                case EQ:
                    return n == value;
                default:
                    return n != value;
            }
        }

        @Override
        public String toString() {
            return op.name().toLowerCase(Locale.ROOT) + " " + value;
        }
    }

    private final List<Bound> bounds;

    public CountCondition(List<Bound> bounds) {
        if (bounds.isEmpty()) {
            throw new IllegalArgumentException("a condition needs at least one bound");
        }
        this.bounds = Collections.unmodifiableList(new ArrayList<>(bounds));
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

    public List<Bound> bounds() {
        return bounds;
    }

    /** The same condition with its single bound's number replaced (the {@code threshold} override). */
    public CountCondition withThreshold(long value) {
        if (bounds.size() != 1) {
            throw new IllegalArgumentException("a range condition has no single threshold");
        }
        return of(bounds.get(0).op(), value);
    }

    @Override
    public String toString() {
        return String.join(" and ", bounds.stream().map(Bound::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountCondition && ((CountCondition) o).bounds.equals(bounds);
    }

    @Override
    public int hashCode() {
        return bounds.hashCode();
    }
}
