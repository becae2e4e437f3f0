package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The settings of an {@code impossible_travel} correlation (a Fendersec extension; Sigma v2.1 has
 * no distances) and its judgement of two sign-ins of one group. When both carry a location
 * ({@code "lat,lon"}) the pair is impossible when they are at least {@code minKm} apart (GeoIP
 * places an address within tens to hundreds of kilometres, so nearer pairs are noise) and the
 * speed between them, great-circle kilometres over hours, passes the condition (default
 * {@code gt: 1000} km/h, faster than an airliner). Otherwise, when both carry a region and the
 * regions differ, the pair is impossible within the timespan (the rule of the region extractor);
 * a located pair whose speed is possible is still judged by its regions, so that a forged location
 * cannot hide what the regions show.
 * One pair is judged one way, so it never alerts twice.
 *
 * <p>A hit carries both as its value ({@link #value}): the region, then {@link #SEPARATOR} and the
 * location when there is one. A value without separator is a region alone, which is exactly what
 * a {@code value_count} over the region held: a window restored from a savepoint of the
 * {@code value_count} form of {@code impossible-travel} is read as sign-ins without location.
 */
public record Travel(String locationField, double minKm) implements Serializable {
    /** Between region and location in a hit's value: a control character no field value needs. */
    public static final char SEPARATOR = '\u001e';
    /** Time differences below this count as this (no division by zero for equal times). */
    static final long MIN_MILLIS = 1000;
    /** What a pair judged by regions measures (two regions, as the value_count form counted). */
    static final long REGIONS = 2;

    public Travel {
        Objects.requireNonNull(locationField, "locationField");
        if (!(minKm >= 0) || Double.isInfinite(minKm)) {
            throw new IllegalArgumentException("min-distance must be a number >= 0");
        }
    }

    /** The value of a hit: region and location, either may be null; null when both are. */
    public static String value(String region, String location) {
        String point = GeoPoint.parse(location) == null ? null : location;
        if (point == null) {
            return region == null || region.indexOf(SEPARATOR) >= 0 ? null : region;
        }
        return (region == null || region.indexOf(SEPARATOR) >= 0 ? "" : region) + SEPARATOR + point;
    }

    static String region(String value) {
        int s = value.indexOf(SEPARATOR);
        String r = s < 0 ? value : value.substring(0, s);
        return r.isEmpty() ? null : r;
    }

    static GeoPoint location(String value) {
        int s = value.indexOf(SEPARATOR);
        return s < 0 ? null : GeoPoint.parse(value.substring(s + 1));
    }

    /**
     * What the pair {@code a}, {@code b} measures when it is impossible: the speed in km/h (rounded
     * down) when both have a location, {@link #REGIONS} when judged by regions; -1 when possible.
     */
    long judge(Hit a, Hit b, CountCondition speed) {
        String va = a.value();
        String vb = b.value();
        if (va == null || vb == null) {
            return -1;
        }
        GeoPoint pa = location(va);
        GeoPoint pb = location(vb);
        if (pa != null && pb != null) {
            double km = pa.kilometresTo(pb);
            if (km >= minKm) {
                long millis = Math.max(Math.abs(b.time() - a.time()), MIN_MILLIS);
                double kmh = km / (millis / 3_600_000.0);
                long measured = (long) Math.min(kmh, 1e15);
                if (speed.test(measured)) {
                    return measured;
                }
            }
        }
        // Regions too, even for a located pair: source.ip (hence the location) comes from log text the
        // device writes, so locations that make a pair look possible must not overrule timezone regions
        // that make it impossible. A forged location can add an alert, never hide one.
        String ra = region(va);
        String rb = region(vb);
        return ra != null && rb != null && !ra.equals(rb) ? REGIONS : -1;
    }

    /**
     * The pair of the span {@code events[i..j]} that makes it hold: the sign-in at {@code j} with
     * the earlier one that measures most; null when none.
     */
    static int[] impossiblePair(List<Hit> events, int i, int j, CountCondition speed, Travel travel, long[] measured) {
        int best = -1;
        long most = -1;
        for (int x = j - 1; x >= i; x--) {
            long m = travel.judge(events.get(x), events.get(j), speed);
            if (m > most) {
                most = m;
                best = x;
            }
        }
        if (best < 0) {
            return null;
        }
        measured[0] = most;
        return new int[] {best, j};
    }
}
