package io.fendersec.job.spec;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as a job spec writes it, resolved against "now" when the job starts, so a
 * scheduled job file can say "yesterday" once and mean a new day every night.
 *
 * <ul>
 *   <li>RFC 3339: {@code 2026-11-27T00:00:00Z}
 *   <li>{@code now}
 *   <li>relative: {@code -24h}, {@code -7d}, {@code -90m}
 *   <li>snapped to the start of a UTC unit, Splunk style: {@code @d} (today 00:00Z),
 *       {@code -1d@d} (yesterday 00:00Z), {@code @h}, {@code -1h@h}
 * </ul>
 */
public final class TimeExpression implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String EXPECTED =
            "an RFC 3339 time (2026-11-27T00:00:00Z), now, a relative time (-24h, -7d) or a snapped one (-1d@d, @d, @h)";

    /** Relative times reach at most this far back (a million days, some 2700 years). */
    private static final Duration MAX_OFFSET = Duration.ofDays(1_000_000);

    private static final Pattern RELATIVE = Pattern.compile("(?:-(\\d+)(m|h|d))?(?:@(d|h))?");

    private final String text;
    private final Instant absolute;
    private final Duration offset;
    private final ChronoUnit snap;

    private TimeExpression(String text, Instant absolute, Duration offset, ChronoUnit snap) {
        this.text = text;
        this.absolute = absolute;
        this.offset = offset;
        this.snap = snap;
    }

    /** Parses {@code text}, or returns null when it is of no known form. */
    public static TimeExpression parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.equals("now")) {
            return new TimeExpression(t, null, Duration.ZERO, null);
        }
        try {
            return new TimeExpression(t, OffsetDateTime.parse(t).toInstant(), null, null);
        } catch (DateTimeParseException e) {
            // not absolute: try the relative forms
        }
        Matcher m = RELATIVE.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            return null;
        }
        Duration offset = Duration.ZERO;
        if (m.group(1) != null) {
            try {
                long n = Long.parseLong(m.group(1));
                offset = "m".equals(m.group(2)) ? Duration.ofMinutes(n)
                        : "h".equals(m.group(2)) ? Duration.ofHours(n) : Duration.ofDays(n);
            } catch (NumberFormatException | ArithmeticException tooFar) {
                return null;
            }
            if (offset.compareTo(MAX_OFFSET) > 0) {
                return null; // resolving it would leave the calendar
            }
        }
        ChronoUnit snap = m.group(3) == null ? null : "d".equals(m.group(3)) ? ChronoUnit.DAYS : ChronoUnit.HOURS;
        return new TimeExpression(t, null, offset, snap);
    }

    public static TimeExpression of(Instant instant) {
        return new TimeExpression(instant.toString(), instant, null, null);
    }

    public boolean isAbsolute() {
        return absolute != null;
    }

    /** The instant this expression names when the job starts at {@code now}. */
    public Instant resolve(Instant now) {
        if (absolute != null) {
            return absolute;
        }
        Instant t = now.minus(offset);
        return snap == null ? t : t.truncatedTo(snap);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeExpression && ((TimeExpression) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
