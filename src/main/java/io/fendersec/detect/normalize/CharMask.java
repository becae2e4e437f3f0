package io.fendersec.detect.normalize;

/**
 * Which ASCII letters and digits a text holds, case-insensitively, as bits: a literal whose mask
 * has a bit the text's lacks cannot occur in the text's lower-case form. Any other ASCII character
 * is ignored (neither side records it); any non-ASCII character makes the mask {@link #ALL}, since
 * lower-casing it may give an ASCII letter (the Kelvin sign gives {@code k}).
 */
final class CharMask {
    static final long ALL = -1L;

    private CharMask() {}

    static long of(CharSequence s) {
        long m = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return ALL;
            }
            if (c >= 'a' && c <= 'z') {
                m |= 1L << (c - 'a');
            } else if (c >= 'A' && c <= 'Z') {
                m |= 1L << (c - 'A');
            } else if (c >= '0' && c <= '9') {
                m |= 1L << (26 + c - '0');
            }
        }
        return m;
    }

    /** False only when {@code literal} cannot occur in the lower-case form of a text of mask {@code text}. */
    static boolean mayContain(long text, long literal) {
        return (literal & ~text) == 0;
    }
}
