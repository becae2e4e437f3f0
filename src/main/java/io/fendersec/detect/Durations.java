package io.fendersec.detect;

import java.time.Duration;
import java.util.Locale;

/** Sigma timespans ({@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}); also used by overrides. */
public final class Durations {
    private Durations() {}

    /** Parses a timespan, or returns null when it is not one. */
    public static Duration parse(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.length() < 2) {
            return null;
        }
        char unit = t.charAt(t.length() - 1);
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (n < 0) {
            return null;
        }
        switch (unit) {
            case 's':
                return Duration.ofSeconds(n);
            case 'm':
                return Duration.ofMinutes(n);
            case 'h':
                return Duration.ofHours(n);
            case 'd':
                return Duration.ofDays(n);
            default:
                return null;
        }
    }

    /** Prints a duration in the largest whole unit, for listings and docs. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
