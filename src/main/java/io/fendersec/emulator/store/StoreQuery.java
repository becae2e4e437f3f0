package io.fendersec.emulator.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a read asks for: a device-time range (start inclusive, end exclusive or open) and the
 * optional filters. Page size is not part of it: the same query can be paged differently.
 */
public final class StoreQuery {
    final Instant start;
    final Instant end;
    private final long startNanos;
    private final long endNanos;
    final String text;
    final String deviceUdid;
    final Set<Integer> levels;
    final Set<String> tags;
    final String appVersion;

    public StoreQuery(Instant start, Instant end, String text, String deviceUdid, Set<Integer> levels,
            Set<String> tags, String appVersion) {
        this.start = Objects.requireNonNull(start, "start");
        this.end = end;
        this.startNanos = nanos(start);
        this.endNanos = end == null ? Long.MAX_VALUE : nanos(end);
        this.text = emptyToNull(text);
        this.deviceUdid = emptyToNull(deviceUdid);
        this.levels = levels == null || levels.isEmpty() ? null : Set.copyOf(new TreeSet<>(levels));
        this.tags = tags == null || tags.isEmpty() ? null : Set.copyOf(tags);
        this.appVersion = emptyToNull(appVersion);
    }

    public static StoreQuery range(Instant start, Instant end) {
        return new StoreQuery(start, end, null, null, null, null, null);
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    boolean matches(StoredLog l) {
        if (l.timeNanos < startNanos || l.timeNanos >= endNanos) {
            return false;
        }
        if (deviceUdid != null && !deviceUdid.equals(l.deviceUdid)) {
            return false;
        }
        if (levels != null && !levels.contains(l.level)) {
            return false;
        }
        if (appVersion != null && !appVersion.equals(l.appVersion)) {
            return false;
        }
        if (tags != null && (l.tag == null || !tags.contains(l.tag))) {
            return false;
        }
        // Case-sensitive substring: predictable, and what a test can state exactly.
        return text == null || (l.text != null && l.text.contains(text));
    }

    /** A canonical text of the query, used as a cache key and to bind cursors to their query. */
    String canonical() {
        return start + "|" + end + "|" + text + "|" + deviceUdid + "|" + (levels == null ? null : new TreeSet<>(levels))
                + "|" + (tags == null ? null : new TreeSet<>(tags)) + "|" + appVersion;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
