package io.fendersec.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fendersec.api.ClientSettings;
import io.fendersec.job.spec.TimeExpression;

/**
 * The {@code source} section: where and how to read. {@code client} is null when the job reads
 * from the embedded emulator ({@code source.emulator}), which supplies its own URL and account.
 */
public final class SourceSpec {
    /** bounded reads a time range and ends; continuous reads the snapshot then follows the tail. */
    public enum Mode { BOUNDED, CONTINUOUS }

    public final ClientSettings client;
    public final Mode mode;
    /** Explicit app ids, or empty for all the account can see. */
    public final List<String> apps;
    /** As written; null when absent (see {@link #resolveFrom}). */
    public final TimeExpression from;
    /** As written; null when absent. A continuous read has none. */
    public final TimeExpression to;
    public final Duration slice;
    public final int pageSize;
    public final Duration pollInterval;
    public final Duration discoveryInterval;
    public final Duration maxOutOfOrderness;
    public final Duration idleness;
    /** How far past its fetch a log's device time may lie before it is analyzed at that bound. */
    public final Duration maxClockSkew;
    public final EmulatorSpec emulator;

    SourceSpec(ClientSettings client, Mode mode, List<String> apps, TimeExpression from, TimeExpression to,
            Duration slice, int pageSize, Duration pollInterval, Duration discoveryInterval,
            Duration maxOutOfOrderness, Duration idleness, Duration maxClockSkew, EmulatorSpec emulator) {
        this.client = client;
        this.mode = mode;
        this.apps = List.copyOf(apps);
        this.from = from;
        this.to = to;
        this.slice = slice;
        this.pageSize = pageSize;
        this.pollInterval = pollInterval;
        this.discoveryInterval = discoveryInterval;
        this.maxOutOfOrderness = maxOutOfOrderness;
        this.idleness = idleness;
        this.maxClockSkew = maxClockSkew;
        this.emulator = emulator;
    }

    /** The range start: as written, else {@code fallback} (24 hours ago, or the emulator's data start). */
    public Instant resolveFrom(Instant now, Instant fallback) {
        return from != null ? from.resolve(now) : fallback;
    }

    /** The range end of a bounded read: as written, else {@code fallback}; null for a continuous read. */
    public Instant resolveTo(Instant now, Instant fallback) {
        if (mode == Mode.CONTINUOUS) {
            return null;
        }
        return to != null ? to.resolve(now) : fallback;
    }

    public boolean allApps() {
        return apps.isEmpty();
    }
}
