package io.fendersec.detect.normalize;

/**
 * The ISO 13616 check every IBAN passes: move the country code and check digits to the end, read
 * letters as 10 to 35, and the number is 1 modulo 97. It tells a bank account from the many other
 * letter-and-digit runs apps log (build ids, order references): 96 in 97 of those fail.
 */
public final class Iban {
    private Iban() {}

    /**
     * Whether {@code s} (spaces ignored, letters of any case) is two letters, two digits and 11 to
     * 30 letters or digits (15 to 34 in all, the lengths countries use) passing the mod-97 check.
     */
    public static boolean valid(String s) {
        StringBuilder b = new StringBuilder(34);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ') {
                b.append(Character.toUpperCase(c));
            }
        }
        int n = b.length();
        if (n < 15 || n > 34 || !letter(b.charAt(0)) || !letter(b.charAt(1)) || !digit(b.charAt(2)) || !digit(b.charAt(3))) {
            return false;
        }
        int rem = 0;
        for (int k = 0; k < n; k++) {
            char c = b.charAt((k + 4) % n); // the first four go last
            if (digit(c)) {
                rem = (rem * 10 + (c - '0')) % 97;
            } else if (letter(c)) {
                rem = (rem * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return rem == 1;
    }

    private static boolean letter(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
