package io.fendersec.model;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.error.ConfigException;

/**
 * The one duration grammar of Fendersec: a whole number and a unit, {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d} ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h},
 * {@code 7d}); blanks around and between are allowed, the unit in either case. Job specs, Sigma
 * correlation timespans, {@code rules.overrides}, {@code rules test --suppression} and the
 * emulator's fault options all read durations here, so a form valid in one place is valid in
 * every other (docs/rules.md, "Durations").
 *
 * <p>It lives in {@code model} so that every layer may use it. A duration that does not fit in
 * epoch milliseconds is not one: every user counts in milliseconds (windows, timers, sleeps).
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h|d)\\s*", Pattern.CASE_INSENSITIVE);

    /** The expected form, for error messages. */
    public static final String EXPECTED = "a duration such as 250ms, 10s, 5m, 1h or 7d";

    private Durations() {}

    /** Parses {@code text}, or returns null when it is not of the form (or too long to count in milliseconds). */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            Duration d;
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms":
                    d = Duration.ofMillis(n);
                    break;
                case "s":
                    d = Duration.ofSeconds(n);
                    break;
                case "m":
                    d = Duration.ofMinutes(n);
                    break;
                case "h":
                    d = Duration.ofHours(n);
                    break;
                default:
                    d = Duration.ofDays(n);
            }
            d.toMillis(); // throws when it does not fit
            return d;
        } catch (NumberFormatException | ArithmeticException tooLong) {
            return null;
        }
    }

    /**
     * Parses {@code text} or throws a {@link ConfigException} naming {@code where} (a dotted key
     * path or an option) and the expected form.
     */
    public static Duration require(String where, String text) {
        Duration d = parse(text);
        if (d == null) {
            throw new ConfigException(invalid(where, text));
        }
        return d;
    }

    /** The message for a value that is not a duration: {@code where: expected ..., got 'text'}. */
    public static String invalid(String where, String text) {
        return where + ": expected " + EXPECTED + ", got '" + text + "'";
    }

    /** Prints a duration in the largest whole unit of the grammar, e.g. {@code 3600s} → {@code 1h}, {@code 1500ms} → {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
