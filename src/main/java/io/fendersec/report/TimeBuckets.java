package io.fendersec.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time axis of the alerts-over-time chart: hours, days, weeks (UTC, from Monday), months, or
 * years in steps of 1, 2, 5, 10, 20, 50 ..., whichever is finest while keeping at most
 * {@link #MAX_BUCKETS} bars, so a bar stays wide enough to see and hover on a laptop screen
 * whatever the data's span. The span is the attacker's to choose (device clocks: one alert dated
 * 9999 next to today's), so no span may make more bars than that.
 *
 * @param unit the calendar unit of one bucket
 * @param step how many units one bucket spans (above 1 only for years)
 */
public record TimeBuckets(Unit unit, long step) {
    /** Calendar units, finest first. */
    public enum Unit { HOUR, DAY, WEEK, MONTH, YEAR }

    public static final TimeBuckets HOUR = new TimeBuckets(Unit.HOUR, 1);
    public static final TimeBuckets DAY = new TimeBuckets(Unit.DAY, 1);
    public static final TimeBuckets WEEK = new TimeBuckets(Unit.WEEK, 1);
    public static final TimeBuckets MONTH = new TimeBuckets(Unit.MONTH, 1);

    /** A week of hours: beyond it, hourly bars are thinner than a few pixels at 1280 px. */
    static final int MAX_BUCKETS = 168;

    /** The range java.time dates cover; instants beyond it (Instant allows a year more) count as its ends. */
    private static final Instant FIRST = LocalDate.MIN.atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant LAST = LocalDate.MAX.atStartOfDay(ZoneOffset.UTC).toInstant();

    public TimeBuckets {
        if (step < 1 || (step > 1 && unit != Unit.YEAR)) {
            throw new IllegalArgumentException("step " + step + " for " + unit);
        }
    }

    /** The finest buckets that cover {@code [min, max]} in at most {@link #MAX_BUCKETS}. */
    public static TimeBuckets choose(Instant min, Instant max) {
        for (TimeBuckets b : List.of(HOUR, DAY, WEEK, MONTH)) {
            if (b.count(min, max) <= MAX_BUCKETS) {
                return b;
            }
        }
        long years = year(max) - year(min) + 1;
        for (long step = 1; ; step *= 10) {
            for (long s : new long[] {step, 2 * step, 5 * step}) {
                TimeBuckets b = new TimeBuckets(Unit.YEAR, s);
                if (s >= years || b.count(min, max) <= MAX_BUCKETS) {
                    return b;
                }
            }
        }
    }

    /** The start of the bucket holding {@code t}. */
    public Instant floor(Instant t) {
        Instant c = clamp(t);
        switch (unit) {
            case HOUR:
                return c.truncatedTo(ChronoUnit.HOURS);
            case DAY:
                return c.truncatedTo(ChronoUnit.DAYS);
            case WEEK: {
                LocalDate d = date(c);
                // In the calendar's first days there is no earlier Monday: the bucket starts there.
                return start(d.toEpochDay() - LocalDate.MIN.toEpochDay() < 7 ? LocalDate.MIN
                        : d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
            }
            case MONTH:
                return start(date(c).withDayOfMonth(1));
            default: {
                long y = Math.max(LocalDate.MIN.getYear(), Math.floorDiv(date(c).getYear(), step) * step);
                return start(LocalDate.of((int) y, 1, 1));
            }
        }
    }

    /** The start of the bucket after the one starting at {@code bucketStart}. */
    public Instant next(Instant bucketStart) {
        switch (unit) {
            case HOUR:
                return bucketStart.plus(1, ChronoUnit.HOURS);
            case DAY:
                return bucketStart.plus(1, ChronoUnit.DAYS);
            case WEEK:
                return bucketStart.plus(7, ChronoUnit.DAYS);
            case MONTH:
                return start(date(bucketStart).plusMonths(1));
            default: // to the next multiple of step (the first bucket may start at the calendar's first year instead)
                return start(LocalDate.of((int) (Math.floorDiv(date(bucketStart).getYear(), step) * step + step), 1, 1));
        }
    }

    /** Every bucket start from the one holding {@code min} to the one holding {@code max}, empty ones included. */
    public List<Instant> starts(Instant min, Instant max) {
        List<Instant> out = new ArrayList<>();
        Instant last = floor(max);
        for (Instant b = floor(min); ; b = next(b)) {
            out.add(b);
            if (!b.isBefore(last)) {
                return out; // not next(last): past the end of the calendar it does not exist
            }
        }
    }

    long count(Instant min, Instant max) {
        Instant from = floor(min);
        Instant to = floor(max);
        switch (unit) {
            case HOUR:
                return ChronoUnit.HOURS.between(from, to) + 1;
            case DAY:
                return ChronoUnit.DAYS.between(from, to) + 1;
            case WEEK:
                return ChronoUnit.DAYS.between(from, to) / 7 + 1;
            case MONTH:
                return ChronoUnit.MONTHS.between(date(from), date(to)) + 1;
            default:
                return (year(to) - year(from)) / step + 1;
        }
    }

    /** What the page shows after "alerts per": "hour", "month", "year", "10 years". */
    public String label() {
        String name = unit.name().toLowerCase(Locale.ROOT);
        return step == 1 ? name : step + " " + name + "s";
    }

    private static Instant clamp(Instant t) {
        return t.isBefore(FIRST) ? FIRST : t.isAfter(LAST) ? LAST : t;
    }

    private static LocalDate date(Instant t) {
        return LocalDate.ofInstant(clamp(t), ZoneOffset.UTC);
    }

    private static long year(Instant t) {
        return date(t).getYear();
    }

    private static Instant start(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
