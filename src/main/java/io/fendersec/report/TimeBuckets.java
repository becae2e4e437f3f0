package io.fendersec.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * The time axis of the alerts-over-time chart: hours, days or weeks (UTC, weeks from Monday),
 * whichever is finest while keeping at most {@link #MAX_BUCKETS} bars, so a bar stays wide enough
 * to see and hover on a laptop screen whatever the data's span.
 */
public enum TimeBuckets {
    HOUR, DAY, WEEK;

    /** A week of hours: beyond it, hourly bars are thinner than a few pixels at 1280 px. */
    static final int MAX_BUCKETS = 168;

    /** The finest unit that covers {@code [min, max]} in at most {@link #MAX_BUCKETS} buckets (WEEK always fits the axis). */
    public static TimeBuckets choose(Instant min, Instant max) {
        for (TimeBuckets b : values()) {
            if (b == WEEK || b.count(min, max) <= MAX_BUCKETS) {
                return b;
            }
        }
        throw new AssertionError("WEEK is always chosen last");
    }

    /** The start of the bucket holding {@code t}. */
    public Instant floor(Instant t) {
        switch (this) {
            case HOUR:
                return t.truncatedTo(ChronoUnit.HOURS);
            case DAY:
                return t.truncatedTo(ChronoUnit.DAYS);
            default:
                return t.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    public Instant next(Instant bucketStart) {
        switch (this) {
            case HOUR:
                return bucketStart.plus(1, ChronoUnit.HOURS);
            case DAY:
                return bucketStart.plus(1, ChronoUnit.DAYS);
            default:
                return bucketStart.plus(7, ChronoUnit.DAYS);
        }
    }

    /** Every bucket start from the one holding {@code min} to the one holding {@code max}, empty ones included. */
    public List<Instant> starts(Instant min, Instant max) {
        List<Instant> out = new ArrayList<>();
        Instant last = floor(max);
        for (Instant b = floor(min); !b.isAfter(last); b = next(b)) {
            out.add(b);
        }
        return out;
    }

    long count(Instant min, Instant max) {
        Instant from = floor(min);
        Instant to = floor(max);
        switch (this) {
            case HOUR:
                return ChronoUnit.HOURS.between(from, to) + 1;
            case DAY:
                return ChronoUnit.DAYS.between(from, to) + 1;
            default:
                return ChronoUnit.DAYS.between(from, to) / 7 + 1;
        }
    }

    /** The lower-case name the page shows ("alerts per hour"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
