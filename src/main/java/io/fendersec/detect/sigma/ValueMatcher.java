package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.Locale;

import com.google.re2j.Pattern;

/**
 * Tests one field value (as text; null when the field is absent). Each kind is a small immutable
 * value; plain strings get fast paths because most rules compare constants.
 */
public interface ValueMatcher extends Serializable {
    boolean matches(String value);

    /** Whether this matcher wants the value lower-cased (case-insensitive comparison). */
    default boolean wantsLower() {
        return false;
    }

    /**
     * Whether this matcher holds only for a field with a non-null value (presence semantics, read
     * by the rule index): true for every kind but {@code null} and {@code exists}.
     */
    default boolean needsValue() {
        return true;
    }

    /** Tests the event's {@code field}, reading the (cached) form of the value this matcher wants. */
    default boolean test(Event e, String field) {
        return matches(wantsLower() ? e.lower(field) : e.get(field));
    }

    enum TextOp { EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH }

    /** Equality or substring tests of a constant; {@code expected} is lower case unless cased. */
    record Text(TextOp op, String expected, boolean cased) implements ValueMatcher {
        public Text {
            expected = cased ? expected : expected.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean wantsLower() {
            return !cased;
        }

        @Override
        public boolean matches(String v) {
            if (v == null) {
                return false;
            }
            switch (op) {
                case EQUALS:
                    return v.equals(expected);
                case CONTAINS:
                    return v.contains(expected);
                case STARTS_WITH:
                    return v.startsWith(expected);
                default:
                    return v.endsWith(expected);
            }
        }
    }

    /**
     * A value with inner wildcards or a regular expression: RE2/J, linear time whatever the input.
     * A literal prefilter (null when the expression requires no literal) skips the RE2 machine for
     * the values that cannot match, which are most of them.
     */
    record Regex(Pattern pattern, boolean anchored, LiteralPrefilter prefilter) implements ValueMatcher {
        public Regex(Pattern pattern, boolean anchored) {
            this(pattern, anchored, LiteralPrefilter.forRegex(pattern.pattern()));
        }

        @Override
        public boolean matches(String v) {
            return v != null && (prefilter == null || prefilter.mayMatch(LiteralPrefilter.fold(v))) && find(v);
        }

        @Override
        public boolean test(Event e, String field) {
            String v = e.get(field);
            return v != null && (prefilter == null || prefilter.mayMatch(e.folded(field))) && find(v);
        }

        /** {@link #matches} with the value's {@linkplain LiteralPrefilter#fold folded} form at hand. */
        public boolean matches(String v, String folded) {
            return v != null && (prefilter == null || prefilter.mayMatch(folded)) && find(v);
        }

        private boolean find(String v) {
            return anchored ? pattern.matches(v) : pattern.matcher(v).find();
        }
    }

    /** Sigma's {@code null} value: the field is absent or null. */
    record IsNull() implements ValueMatcher {
        @Override
        public boolean matches(String v) {
            return v == null;
        }

        @Override
        public boolean needsValue() {
            return false;
        }
    }

    /** {@code exists}: the field is present (with any value, null included) or absent. */
    record Exists(boolean present) implements ValueMatcher {
        @Override
        public boolean matches(String v) {
            return (v != null) == present;
        }

        @Override
        public boolean test(Event e, String field) {
            return e.has(field) == present;
        }

        @Override
        public boolean needsValue() {
            return false;
        }
    }

    /**
     * {@code fieldref}: the field's value compared with another field's value of the same log
     * (equal, or with contains/startswith/endswith); false when either is missing.
     */
    record FieldRef(String other, TextOp op, boolean cased) implements ValueMatcher {
        @Override
        public boolean matches(String value) {
            return false; // needs the event: see test
        }

        @Override
        public boolean test(Event e, String field) {
            String v = cased ? e.get(field) : e.lower(field);
            String o = cased ? e.get(other) : e.lower(other);
            if (v == null || o == null) {
                return false;
            }
            switch (op) {
                case EQUALS:
                    return v.equals(o);
                case CONTAINS:
                    return v.contains(o);
                case STARTS_WITH:
                    return v.startsWith(o);
                default:
                    return v.endsWith(o);
            }
        }
    }

    /** A time modifier ({@code hour}, {@code day}, ...): the number read from a date value, then tested. */
    record TimePart(TimeParts.Part part, ValueMatcher inner) implements ValueMatcher {
        @Override
        public boolean matches(String v) {
            long x = v == null ? -1 : TimeParts.read(v, part);
            return x >= 0 && inner.matches(Long.toString(x));
        }
    }

    enum NumOp { LT, LTE, GT, GTE }

    /** {@code lt}, {@code lte}, {@code gt}, {@code gte}: values that are not numbers never match. */
    record Numeric(NumOp op, double bound) implements ValueMatcher {
        @Override
        public boolean matches(String v) {
            if (v == null) {
                return false;
            }
            double x;
            try {
                x = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                return false;
            }
            switch (op) {
                case LT:
                    return x < bound;
                case LTE:
                    return x <= bound;
                case GT:
                    return x > bound;
                default:
                    return x >= bound;
            }
        }
    }

    /** {@code cidr}: IPv4 or IPv6 network membership. */
    record Cidr(byte[] network, int prefix) implements ValueMatcher {
        /**
         * The last value parsed on this thread and its address (or null): every CIDR rule of a
         * log reads the same value, so it is parsed once per log rather than once per rule.
         */
        private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

        private static byte[] address(String v) {
            Object[] last = LAST.get();
            if (last[0] != v) {
                last[1] = InetParsing.parse(v.trim());
                last[0] = v;
            }
            return (byte[]) last[1];
        }

        public static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            byte[] net = InetParsing.parse(slash < 0 ? cidr : cidr.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("not an IP network: " + cidr);
            }
            int prefix = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (prefix < 0 || prefix > net.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
            return new Cidr(net, prefix);
        }

        @Override
        public boolean matches(String v) {
            if (v == null) {
                return false;
            }
            byte[] a = address(v);
            if (a == null || a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
