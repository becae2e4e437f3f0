package io.fendersec.emulator.store;

import java.time.Instant;
import java.util.Comparator;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * A log as the store keeps it: its arrival sequence number on the server, the few fields the
 * filters and the ordering need, and its JSON, serialized once on arrival.
 */
public final class StoredLog {
    /** Newest first by (time, absolute_time, uuid): the order of snapshot pages. */
    static final Comparator<StoredLog> NEWEST_FIRST = Comparator.comparingLong((StoredLog l) -> l.timeNanos)
            .thenComparingLong(l -> l.absoluteTime)
            .thenComparing(l -> l.uuid)
            .reversed();

    final long seq;
    final long timeNanos;
    final long absoluteTime;
    final String uuid;
    final String deviceUdid;
    final String text;
    final int level;
    final String tag;
    final String appVersion;
    final byte[] json;

    StoredLog(long seq, LogRecord record, String appId) {
        Instant t = record.time();
        if (t == null) {
            throw new IllegalArgumentException("a log needs an RFC 3339 'time': " + record);
        }
        this.seq = seq;
        this.timeNanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        this.absoluteTime = record.absoluteTime();
        this.uuid = record.uuid() == null ? "" : record.uuid();
        this.deviceUdid = record.deviceUdid();
        this.text = record.text();
        this.level = record.logLevel();
        this.tag = record.getString(LogFields.TAG);
        this.appVersion = record.getString(LogFields.VERSION);
        this.json = StoredLogJson.toJson(record, appId);
    }

    /** The arrival sequence number: 1 for the app's first log, increasing by one per log. */
    public long seq() {
        return seq;
    }

    public String uuid() {
        return uuid;
    }

    /** The log exactly as the API serves it. */
    public byte[] json() {
        return json;
    }

    public Instant time() {
        return Instant.ofEpochSecond(Math.floorDiv(timeNanos, 1_000_000_000L), Math.floorMod(timeNanos, 1_000_000_000L));
    }
}
