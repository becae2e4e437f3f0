package io.fendersec.emulator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Secret comparison in constant time: an emulator is still no place to teach timing leaks. */
final class Secrets {
    private Secrets() {}

    static boolean equal(String expected, String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }
}
