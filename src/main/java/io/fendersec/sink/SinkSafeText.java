package io.fendersec.sink;

/**
 * Text every alert sink accepts. Device-written values (group values, titles built from them,
 * evidence texts, app and device ids) may hold U+0000, which PostgreSQL refuses in {@code text}
 * ("invalid byte sequence for encoding UTF8: 0x00") and in {@code jsonb} ("unsupported Unicode escape
 * sequence"), and lone UTF-16 surrogates, which no UTF-8 encoder can write (Jackson's refuses them,
 * {@code String.getBytes} turns them into {@code ?}). One refused value used to fail the whole
 * batch, and the job with it.
 *
 * <p>Both are replaced by U+FFFD REPLACEMENT CHARACTER, the same in every sink (file, console,
 * JDBC, webhook, Kafka), so that one alert reads the same everywhere; everything else passes as it
 * is (the console escapes control characters further, for the terminal). Alert ids are computed
 * from the values as logged, before this, so they do not change (docs/alert-delivery.md).
 */
public final class SinkSafeText {
    public static final char REPLACEMENT = '\uFFFD';

    private SinkSafeText() {}

    /** {@code s} with U+0000 and lone surrogates replaced; {@code s} itself (no copy) when it had none. */
    public static String of(String s) {
        if (s == null) {
            return null;
        }
        int bad = firstUnsafe(s);
        if (bad < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length()).append(s, 0, bad);
        for (int i = bad; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                b.append(REPLACEMENT);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** True when {@link #of} would change {@code s}. */
    public static boolean isUnsafe(String s) {
        return s != null && firstUnsafe(s) >= 0;
    }

    private static int firstUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
