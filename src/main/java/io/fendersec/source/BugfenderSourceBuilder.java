package io.fendersec.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import io.fendersec.api.ClientSettings;
import io.fendersec.api.LogQuery;
import io.fendersec.error.ConfigException;

/**
 * Builds a {@link BugfenderSource}, validating every value as it is set; each error names the
 * job-spec key it comes from ({@code source.mode}, {@code source.slice}, ...). Resolves no secret.
 */
public final class BugfenderSourceBuilder {
    public static final Duration DEFAULT_SLICE = Duration.ofHours(1);
    public static final int DEFAULT_PAGE_SIZE = 10_000;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofMinutes(10);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private ClientSettings client;
    private ApiFactory apiFactory = ApiFactory.HTTP;
    private ReadMode mode = ReadMode.BOUNDED;
    private List<String> appIds;
    private Instant from;
    private Instant to;
    private Duration slice = DEFAULT_SLICE;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration discoveryInterval = DEFAULT_DISCOVERY_INTERVAL;
    private Duration maxOutOfOrderness = DEFAULT_MAX_OUT_OF_ORDERNESS;
    private Duration idleness = DEFAULT_IDLENESS;
    private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;

    BugfenderSourceBuilder() {}

    public BugfenderSourceBuilder clientSettings(ClientSettings settings) {
        if (settings == null) {
            throw new ConfigException("source: expected the client settings (source.url, source.auth)");
        }
        this.client = settings;
        return this;
    }

    /** How the client is built on each machine; the HTTP client unless a test says otherwise. */
    public BugfenderSourceBuilder apiFactory(ApiFactory factory) {
        this.apiFactory = factory;
        return this;
    }

    public BugfenderSourceBuilder mode(ReadMode mode) {
        if (mode == null) {
            throw new ConfigException("source.mode: expected bounded or continuous");
        }
        this.mode = mode;
        return this;
    }

    public BugfenderSourceBuilder bounded() {
        return mode(ReadMode.BOUNDED);
    }

    public BugfenderSourceBuilder continuous() {
        return mode(ReadMode.CONTINUOUS);
    }

    /** Read only these apps; without this call every app the account can see is read (and, continuous, found as it appears). */
    public BugfenderSourceBuilder apps(String... ids) {
        return apps(Arrays.asList(ids));
    }

    public BugfenderSourceBuilder apps(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new ConfigException("source.apps: expected at least one app id, or leave it out to read all apps");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw new ConfigException("source.apps: app ids must not be empty");
            }
            unique.add(id.trim());
        }
        this.appIds = new ArrayList<>(unique);
        return this;
    }

    /** Every app the account can see (the default). */
    public BugfenderSourceBuilder allApps() {
        this.appIds = null;
        return this;
    }

    /** Inclusive start of the device-time range. */
    public BugfenderSourceBuilder from(Instant from) {
        if (from == null) {
            throw new ConfigException("source.from: expected an RFC 3339 time such as 2026-01-01T00:00:00Z");
        }
        this.from = from;
        return this;
    }

    /** Exclusive end of the device-time range; bounded only. Absent: up to the snapshot fixed at job start. */
    public BugfenderSourceBuilder to(Instant to) {
        this.to = to;
        return this;
    }

    public BugfenderSourceBuilder slice(Duration slice) {
        this.slice = positive(slice, "source.slice");
        return this;
    }

    public BugfenderSourceBuilder pageSize(int pageSize) {
        if (pageSize < 1 || pageSize > LogQuery.MAX_PAGE_SIZE) {
            throw new ConfigException("source.page-size: expected 1.." + LogQuery.MAX_PAGE_SIZE + ", got " + pageSize);
        }
        this.pageSize = pageSize;
        return this;
    }

    public BugfenderSourceBuilder pollInterval(Duration interval) {
        this.pollInterval = positive(interval, "source.poll-interval");
        return this;
    }

    public BugfenderSourceBuilder discoveryInterval(Duration interval) {
        this.discoveryInterval = positive(interval, "source.discovery-interval");
        return this;
    }

    public BugfenderSourceBuilder maxOutOfOrderness(Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigException("source.max-out-of-orderness: expected a duration of 0s or more, got " + d);
        }
        this.maxOutOfOrderness = d;
        return this;
    }

    public BugfenderSourceBuilder idleness(Duration d) {
        this.idleness = positive(d, "source.idleness");
        return this;
    }

    /**
     * A log dated later than the moment its page was fetched plus {@code d} is analyzed at that
     * bound, not at its claimed time, so one forged clock cannot move event time into the future.
     */
    public BugfenderSourceBuilder maxClockSkew(Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigException("source.max-clock-skew: expected a duration of 0s or more, got " + d);
        }
        this.maxClockSkew = d;
        return this;
    }

    private static Duration positive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(key + ": expected a positive duration such as 5s, got " + d);
        }
        return d;
    }

    public BugfenderSource build() {
        if (client == null) {
            throw new ConfigException("source: expected the client settings (source.url, source.auth)");
        }
        if (apiFactory == null) {
            throw new ConfigException("source: no Bugfender client factory configured");
        }
        if (from == null) {
            throw new ConfigException("source.from: expected the start of the range, e.g. 2026-01-01T00:00:00Z");
        }
        if (mode == ReadMode.CONTINUOUS && to != null) {
            throw new ConfigException("source.to: a continuous read has no end; leave source.to out or use mode bounded");
        }
        if (to != null && !to.isAfter(from)) {
            throw new ConfigException("source.to: expected a time after source.from (" + from + "), got " + to);
        }
        return new BugfenderSource(client, new SourceSettings(mode, appIds, from, to, slice, pageSize, pollInterval,
                discoveryInterval, maxOutOfOrderness, idleness, maxClockSkew), apiFactory);
    }
}
