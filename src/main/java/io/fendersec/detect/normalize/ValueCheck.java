package io.fendersec.detect.normalize;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * A check an extracted value must pass besides its regex ({@code check:} of an extractor), for
 * shapes a regex alone confuses with ordinary text: a card number with an order number, the
 * credentials of HTTP Basic with the word after "Basic", a JWT with any two dotted words that
 * start with {@code eyJ}. The checks are cheap and run only on the regex's candidates.
 */
enum ValueCheck {
    /** 13 to 19 digits that pass the Luhn check (payment cards). */
    LUHN("luhn", Luhn::valid),
    /** An IBAN that passes the ISO 13616 mod-97 check (PII, not a credential). */
    IBAN("iban", Iban::valid),
    /** Base64 of printable {@code user:password} (HTTP Basic credentials). */
    BASIC_CREDENTIALS("basic-credentials", ValueCheck::basicCredentials),
    /** A JWT whose first segment is base64url of a JSON object (its header). */
    JWT("jwt", ValueCheck::jwtHeader);

    private final String spec;
    private final transient Predicate<String> test;

    ValueCheck(String spec, Predicate<String> test) {
        this.spec = spec;
        this.test = test;
    }

    /** The name in a job spec. */
    String spec() {
        return spec;
    }

    boolean test(String value) {
        return value != null && test.test(value);
    }

    /**
     * False when no part of {@code source} can pass this check, so its extractor need not run its
     * regex at all: the value a regex captures is a part of the text it searched. For card numbers,
     * which {@link Luhn} wants 13 to 19 ASCII digits of, a text with fewer digits is skipped by one
     * scan instead of an unanchored RE2/J search (the largest single cost of the built-in pack's
     * normalization per log, issue 32). The other checks have no such cheap condition: always true.
     */
    boolean mayPassWithin(String source) {
        return this != LUHN || asciiDigitsAtLeast(source, Luhn.MIN_DIGITS);
    }

    private static boolean asciiDigitsAtLeast(String s, int n) {
        int found = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9' && ++found >= n) {
                return true;
            }
        }
        return false;
    }

    /** The check named {@code spec}, or null. */
    static ValueCheck of(String spec) {
        return Arrays.stream(values()).filter(c -> c.spec.equals(spec)).findFirst().orElse(null);
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(ValueCheck::spec).toList());
    }

    private static boolean basicCredentials(String b64) {
        byte[] raw = decode(Base64.getDecoder(), b64);
        if (raw == null || raw.length < 3) {
            return false;
        }
        boolean colon = false;
        for (byte b : raw) {
            if (b == ':') {
                colon = true;
            } else if (b >= 0 && b < 0x20 || b == 0x7f) {
                return false; // credentials are text; random words decode to control bytes
            }
        }
        return colon && raw[0] != ':';
    }

    private static boolean jwtHeader(String token) {
        int dot = token.indexOf('.');
        String header = dot < 0 ? token : token.substring(0, dot);
        byte[] raw = decode(Base64.getUrlDecoder(), header);
        if (raw == null) {
            return false;
        }
        String json = new String(raw, StandardCharsets.UTF_8).strip();
        if (!json.startsWith("{") || !json.endsWith("}") || json.indexOf('"') < 0) {
            return false;
        }
        // A header is JSON text: random base64 decodes to control bytes or broken UTF-8 (U+FFFD).
        return json.chars().noneMatch(c -> c == 0xFFFD || c < 0x20 && c != '\n' && c != '\r' && c != '\t');
    }

    private static byte[] decode(Base64.Decoder decoder, String s) {
        String unpadded = s.replace("=", "");
        if (unpadded.length() % 4 == 1) {
            return null; // no base64 text has this length
        }
        try {
            return decoder.decode(unpadded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
