package io.fendersec.detect.correlate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The number a metric correlation ({@code value_sum}, {@code value_avg}, {@code value_percentile},
 * {@code value_median}) reads from an event's field, or none.
 *
 * <p>The attacker writes the logs, so the rules are strict and every outcome is bounded:
 * <ul>
 *   <li>a decimal as JSON writes it (optional sign, digits, optional fraction and exponent), spaces
 *       around it ignored, at most {@value #MAX_CHARS} characters; anything else ({@code NaN},
 *       {@code Infinity}, hex, {@code 1,000}, text, an absent field) is no number and the event
 *       does not take part in the measure;</li>
 *   <li>kept exactly, rounded to {@value #SCALE} decimal places (half even): sums slide by adding
 *       and subtracting, and exact arithmetic means a value leaving the span takes out exactly
 *       what it brought in (with doubles, one 1e300 passing through would wipe out every small
 *       value after it);</li>
 *   <li>beyond &plusmn;10^{@value #MAX_DIGITS} it counts as &plusmn;10^{@value #MAX_DIGITS}, so a huge exponent
 *       ({@code 1e999999}) neither costs memory nor escapes a "more than" rule.</li>
 * </ul>
 * The canonical text ({@link #canonical}) is what a hit carries, so state holds each number once
 * parsed.
 */
public final class MetricValue {
    static final int MAX_CHARS = 64;
    static final int SCALE = 6;
    static final int MAX_DIGITS = 18;
    private static final BigDecimal MAX = BigDecimal.TEN.pow(MAX_DIGITS);

    private MetricValue() {}

    /** The number in {@code text} by the rules above, or null when it is none. */
    public static BigDecimal parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_CHARS || !decimal(t)) {
            return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null; // an exponent beyond an int
        }
        if (d.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // precision - scale is the number of digits before the point: decided without arithmetic
        // on the (possibly enormous) exponent
        long intDigits = (long) d.precision() - d.scale();
        if (intDigits > MAX_DIGITS) {
            return d.signum() > 0 ? MAX : MAX.negate();
        }
        if (intDigits < -SCALE) {
            return BigDecimal.ZERO; // below half of the last kept place
        }
        d = d.setScale(SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.abs().compareTo(MAX) > 0 ? (d.signum() > 0 ? MAX : MAX.negate()) : d;
    }

    /** The canonical text of the number in {@code text}, or null when it is none. */
    public static String canonical(String text) {
        BigDecimal d = parse(text);
        return d == null ? null : d.toPlainString();
    }

    /** JSON's number grammar (BigDecimal alone would also take "1.", ".5" and "+1"; those are accepted too, as writers vary). */
    private static boolean decimal(String t) {
        int i = 0;
        int n = t.length();
        if (t.charAt(i) == '-' || t.charAt(i) == '+') {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** ASCII only: BigDecimal would also read other scripts' digits, which no JSON writer emits. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
