package io.fendersec.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

import io.fendersec.api.LogQuery;
import io.fendersec.error.ConfigException;

/**
 * How the source reads: mode, apps, slicing, paging, polling and watermarks. The one model of the
 * job spec's {@code source} keys other than the connection and the range: the job spec reader
 * builds it, {@link BugfenderSourceBuilder} takes it, and the defaults live here alone.
 *
 * <p>Immutable; every builder setter checks its value at once and names the job-spec key it comes
 * from ({@code source.slice}, ...). Serialized into the job graph with the source: it holds no
 * secret (credentials live in {@link io.fendersec.api.ClientSettings}, as references only).
 */
public final class SourceSettings implements Serializable {
    private static final long serialVersionUID = 2L;

    public static final ReadMode DEFAULT_MODE = ReadMode.BOUNDED;
    public static final Duration DEFAULT_SLICE = Duration.ofHours(1);
    public static final int DEFAULT_PAGE_SIZE = LogQuery.MAX_PAGE_SIZE;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofMinutes(10);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final ReadMode mode;
    /** Empty for every app the account can see. */
    private final List<String> appIds;
    private final Duration slice;
    private final int pageSize;
    private final Duration pollInterval;
    private final Duration discoveryInterval;
    private final Duration maxOutOfOrderness;
    private final Duration idleness;
    private final Duration maxClockSkew;

    private SourceSettings(Builder b) {
        this.mode = b.mode;
        this.appIds = b.appIds;
        this.slice = b.slice;
        this.pageSize = b.pageSize;
        this.pollInterval = b.pollInterval;
        this.discoveryInterval = b.discoveryInterval;
        this.maxOutOfOrderness = b.maxOutOfOrderness;
        this.idleness = b.idleness;
        this.maxClockSkew = b.maxClockSkew;
    }

    /** A builder holding every default: built as is, a bounded read of all apps. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public ReadMode mode() {
        return mode;
    }

    public boolean bounded() {
        return mode == ReadMode.BOUNDED;
    }

    /** Whether every app the account can see is read (and, continuous, found as it appears). */
    public boolean allApps() {
        return appIds.isEmpty();
    }

    /** The explicit app ids, without duplicates; empty when {@link #allApps()}. */
    public List<String> appIds() {
        return appIds;
    }

    /** The width of a bounded read's time slices, one split each. */
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
    public boolean equals(Object o) {
        if (!(o instanceof SourceSettings)) {
            return false;
        }
        SourceSettings s = (SourceSettings) o;
        return mode == s.mode && appIds.equals(s.appIds) && slice.equals(s.slice) && pageSize == s.pageSize
                && pollInterval.equals(s.pollInterval) && discoveryInterval.equals(s.discoveryInterval)
                && maxOutOfOrderness.equals(s.maxOutOfOrderness) && idleness.equals(s.idleness)
                && maxClockSkew.equals(s.maxClockSkew);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, appIds, slice, pageSize, pollInterval, discoveryInterval, maxOutOfOrderness,
                idleness, maxClockSkew);
    }

    @Override
    public String toString() {
        return "SourceSettings{mode=" + mode + ", apps=" + (allApps() ? "all" : appIds) + ", slice=" + slice
                + ", pageSize=" + pageSize + ", pollInterval=" + pollInterval + ", discoveryInterval="
                + discoveryInterval + ", maxOutOfOrderness=" + maxOutOfOrderness + ", idleness=" + idleness
                + ", maxClockSkew=" + maxClockSkew + "}";
    }

    /** Starts from the defaults; each setter refuses a bad value at once, naming its job-spec key. */
    public static final class Builder {
        private ReadMode mode = DEFAULT_MODE;
        private List<String> appIds = List.of();
        private Duration slice = DEFAULT_SLICE;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration discoveryInterval = DEFAULT_DISCOVERY_INTERVAL;
        private Duration maxOutOfOrderness = DEFAULT_MAX_OUT_OF_ORDERNESS;
        private Duration idleness = DEFAULT_IDLENESS;
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;

        private Builder() {}

        private Builder(SourceSettings s) {
            this.mode = s.mode;
            this.appIds = s.appIds;
            this.slice = s.slice;
            this.pageSize = s.pageSize;
            this.pollInterval = s.pollInterval;
            this.discoveryInterval = s.discoveryInterval;
            this.maxOutOfOrderness = s.maxOutOfOrderness;
            this.idleness = s.idleness;
            this.maxClockSkew = s.maxClockSkew;
        }

        public Builder mode(ReadMode mode) {
            if (mode == null) {
                throw new ConfigException("source.mode: expected bounded or continuous");
            }
            this.mode = mode;
            return this;
        }

        /** Read only these apps (duplicates dropped, order kept); without this every app is read. */
        public Builder apps(String... ids) {
            return apps(Arrays.asList(ids));
        }

        public Builder apps(List<String> ids) {
            if (ids == null || ids.isEmpty()) {
                throw new ConfigException("source.apps: expected [all] or a list of app ids, got an empty list");
            }
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (String id : ids) {
                if (id == null || id.isBlank()) {
                    throw new ConfigException("source.apps: app ids must not be empty");
                }
                unique.add(id.trim());
            }
            this.appIds = List.copyOf(unique);
            return this;
        }

        /** Every app the account can see (the default). */
        public Builder allApps() {
            this.appIds = List.of();
            return this;
        }

        public Builder slice(Duration slice) {
            this.slice = positive(slice, "source.slice");
            return this;
        }

        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > LogQuery.MAX_PAGE_SIZE) {
                throw new ConfigException("source.page-size: expected a whole number from 1 to "
                        + LogQuery.MAX_PAGE_SIZE + ", got " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "source.poll-interval");
            return this;
        }

        public Builder discoveryInterval(Duration interval) {
            this.discoveryInterval = positive(interval, "source.discovery-interval");
            return this;
        }

        public Builder maxOutOfOrderness(Duration d) {
            this.maxOutOfOrderness = notNegative(d, "source.max-out-of-orderness");
            return this;
        }

        public Builder idleness(Duration d) {
            this.idleness = positive(d, "source.idleness");
            return this;
        }

        /**
         * A log dated later than the moment its page was fetched plus {@code d} is analyzed at that
         * bound, not at its claimed time, so one forged clock cannot move event time into the future.
         */
        public Builder maxClockSkew(Duration d) {
            this.maxClockSkew = notNegative(d, "source.max-clock-skew");
            return this;
        }

        public SourceSettings build() {
            return new SourceSettings(this);
        }

        private static Duration positive(Duration d, String key) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigException(key + ": expected a duration above zero");
            }
            return d;
        }

        private static Duration notNegative(Duration d, String key) {
            if (d == null || d.isNegative()) {
                throw new ConfigException(key + ": expected a duration of 0s or more" + (d == null ? "" : ", got " + d));
            }
            return d;
        }
    }
}
