package io.fendersec.emulator.generate;

import java.util.SplittableRandom;

/** Card-like numbers: Luhn-valid ones for leaks, and (for the benign generator) numbers that fail the check. */
public final class CardNumbers {
    private CardNumbers() {}

    /** A {@code length}-digit number starting with {@code prefix} whose last digit makes it pass Luhn. */
    public static String luhnValid(SplittableRandom r, String prefix, int length) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < length - 1) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.append(checkDigit(b)).toString();
    }

    /** The same shape but a wrong check digit: an order or tracking number, never a card. */
    public static String luhnInvalid(SplittableRandom r, String prefix, int length) {
        String valid = luhnValid(r, prefix, length);
        int last = valid.charAt(length - 1) - '0';
        return valid.substring(0, length - 1) + (char) ('0' + (last + 1 + r.nextInt(9)) % 10);
    }

    private static int checkDigit(CharSequence payload) {
        int sum = 0;
        boolean dbl = true; // the digit left of the check digit is doubled
        for (int i = payload.length() - 1; i >= 0; i--) {
            int x = payload.charAt(i) - '0';
            if (dbl) {
                x *= 2;
                if (x > 9) {
                    x -= 9;
                }
            }
            sum += x;
            dbl = !dbl;
        }
        return (10 - sum % 10) % 10;
    }
}
