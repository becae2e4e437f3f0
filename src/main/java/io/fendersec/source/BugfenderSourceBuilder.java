package io.fendersec.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fendersec.api.ClientSettings;
import io.fendersec.error.ConfigException;

/**
 * Builds a {@link BugfenderSource}: the client settings, the {@link SourceSettings} (whole, as the
 * job spec reader makes them, or one setter at a time) and the range. Every value is checked as it
 * is set, and each error names the job-spec key it comes from ({@code source.mode},
 * {@code source.slice}, ...). Resolves no secret.
 */
public final class BugfenderSourceBuilder {
    private ClientSettings client;
    private ApiFactory apiFactory = ApiFactory.HTTP;
    private SourceSettings.Builder settings = SourceSettings.builder();
    private Instant from;
    private Instant to;

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

    /** Takes every setting at once (what the job spec says); later setters change single values. */
    public BugfenderSourceBuilder settings(SourceSettings settings) {
        if (settings == null) {
            throw new ConfigException("source: expected the source settings");
        }
        this.settings = settings.toBuilder();
        return this;
    }

    public BugfenderSourceBuilder mode(ReadMode mode) {
        settings.mode(mode);
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
        settings.apps(ids);
        return this;
    }

    public BugfenderSourceBuilder apps(List<String> ids) {
        settings.apps(ids);
        return this;
    }

    /** Every app the account can see (the default). */
    public BugfenderSourceBuilder allApps() {
        settings.allApps();
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
        settings.slice(slice);
        return this;
    }

    public BugfenderSourceBuilder pageSize(int pageSize) {
        settings.pageSize(pageSize);
        return this;
    }

    public BugfenderSourceBuilder pollInterval(Duration interval) {
        settings.pollInterval(interval);
        return this;
    }

    public BugfenderSourceBuilder discoveryInterval(Duration interval) {
        settings.discoveryInterval(interval);
        return this;
    }

    public BugfenderSourceBuilder maxOutOfOrderness(Duration d) {
        settings.maxOutOfOrderness(d);
        return this;
    }

    public BugfenderSourceBuilder idleness(Duration d) {
        settings.idleness(d);
        return this;
    }

    /** See {@link SourceSettings.Builder#maxClockSkew}. */
    public BugfenderSourceBuilder maxClockSkew(Duration d) {
        settings.maxClockSkew(d);
        return this;
    }

    public BugfenderSource build() {
        if (client == null) {
            throw new ConfigException("source: expected the client settings (source.url, source.auth)");
        }
        if (apiFactory == null) {
            throw new ConfigException("source: no Bugfender client factory configured");
        }
        SourceSettings s = settings.build();
        if (!s.bounded() && to != null) {
            throw new ConfigException("source.to: a continuous read has no end; leave source.to out or use mode bounded");
        }
        return new BugfenderSource(client, s, new ReadRange(from, to), apiFactory);
    }
}
