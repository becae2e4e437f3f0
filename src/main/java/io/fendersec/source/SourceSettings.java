package io.fendersec.source;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the source reads and how, validated by {@link BugfenderSourceBuilder}. Serializable into
 * the job graph; holds no secret (client credentials live in {@link io.fendersec.api.ClientSettings}
 * as references only).
 */
public final class SourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ReadMode mode;
    private final List<String> appIds;
    private final Instant from;
    private final Instant to;
    private final Duration slice;
    private final int pageSize;
    private final Duration pollInterval;
    private final Duration discoveryInterval;
    private final Duration maxOutOfOrderness;
    private final Duration idleness;
    private final Duration maxClockSkew;

    SourceSettings(ReadMode mode, List<String> appIds, Instant from, Instant to, Duration slice, int pageSize,
            Duration pollInterval, Duration discoveryInterval, Duration maxOutOfOrderness, Duration idleness,
            Duration maxClockSkew) {
        this.mode = mode;
        this.appIds = appIds == null ? null : List.copyOf(appIds);
        this.from = from;
        this.to = to;
        this.slice = slice;
        this.pageSize = pageSize;
        this.pollInterval = pollInterval;
        this.discoveryInterval = discoveryInterval;
        this.maxOutOfOrderness = maxOutOfOrderness;
        this.idleness = idleness;
        this.maxClockSkew = maxClockSkew;
    }

    public ReadMode mode() {
        return mode;
    }

    public boolean bounded() {
        return mode == ReadMode.BOUNDED;
    }

    /** Explicit app ids, or null for every app the account can see (discovered). */
    public List<String> appIds() {
        return appIds;
    }

    public Instant from() {
        return from;
    }

    /** Exclusive end; null = open (continuous), or "up to the snapshot fixed at job start" (bounded). */
    public Instant to() {
        return to;
    }

    public Duration slice() {
        return slice;
    }

    public int pageSize() {
        return pageSize;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration discoveryInterval() {
        return discoveryInterval;
    }

    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    public Duration idleness() {
        return idleness;
    }

    /**
     * How far past the moment its page was fetched a log's device time may lie: a later time is
     * analyzed at that bound (the device clock belongs to whoever holds the device).
     */
    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    @Override
    public String toString() {
        return "SourceSettings{mode=" + mode + ", apps=" + (appIds == null ? "all" : appIds) + ", from=" + from
                + ", to=" + to + ", slice=" + slice + ", pageSize=" + pageSize + ", pollInterval=" + pollInterval
                + ", discoveryInterval=" + discoveryInterval + ", maxOutOfOrderness=" + maxOutOfOrderness
                + ", idleness=" + idleness + ", maxClockSkew=" + maxClockSkew + "}";
    }
}
