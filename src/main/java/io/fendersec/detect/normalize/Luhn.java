package io.fendersec.detect.normalize;

/**
 * The Luhn (mod 10) check every payment card number passes. It tells a card number from the many
 * other long numbers apps log (order ids, timestamps, tracking numbers): nine in ten of those fail.
 */
public final class Luhn {
    /** The fewest digits a card number has. */
    static final int MIN_DIGITS = 13;

    private Luhn() {}

    /** Whether the digits of {@code s} (spaces and dashes ignored) are 13 to 19 and pass the check. */
    public static boolean valid(String s) {
        int sum = 0;
        int n = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c < '0' || c > '9') {
                return false;
            }
            int d = c - '0';
            if (n % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            n++;
        }
        return n >= MIN_DIGITS && n <= 19 && sum % 10 == 0;
    }
}
