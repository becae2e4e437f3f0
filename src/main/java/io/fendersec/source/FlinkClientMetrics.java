package io.fendersec.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import io.fendersec.api.ClientMetrics;

/**
 * The client's events as Flink metrics, under the reader's (or enumerator's) metric group:
 * {@code apiErrors.<kind>}, {@code retries.<kind>}, {@code rateLimitWaits}, {@code rateLimitWaitMillis},
 * {@code tokenRefreshes}. Pages are counted by the split reader itself ({@code pagesFetched}), so
 * the number does not depend on the client reporting them. Thread-safe: the client may call from
 * any thread (a token refresh can run beside a fetch).
 */
public final class FlinkClientMetrics implements ClientMetrics {
    private final MetricGroup errorsGroup;
    private final MetricGroup retriesGroup;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Counter rateLimitWaits;
    private final Counter rateLimitWaitMillis;
    private final Counter tokenRefreshes;

    public FlinkClientMetrics(MetricGroup group) {
        this.errorsGroup = group.addGroup("apiErrors");
        this.retriesGroup = group.addGroup("retries");
        this.rateLimitWaits = group.counter("rateLimitWaits", new ThreadSafeSimpleCounter());
        this.rateLimitWaitMillis = group.counter("rateLimitWaitMillis", new ThreadSafeSimpleCounter());
        this.tokenRefreshes = group.counter("tokenRefreshes", new ThreadSafeSimpleCounter());
    }

    @Override
    public void apiError(String kind) {
        errors.computeIfAbsent(safe(kind), k -> errorsGroup.counter(k, new ThreadSafeSimpleCounter())).inc();
    }

    @Override
    public void retry(String kind) {
        retries.computeIfAbsent(safe(kind), k -> retriesGroup.counter(k, new ThreadSafeSimpleCounter())).inc();
    }

    @Override
    public void rateLimitWait(long millis) {
        rateLimitWaits.inc();
        rateLimitWaitMillis.inc(Math.max(0, millis));
    }

    @Override
    public void tokenRefreshed() {
        tokenRefreshes.inc();
    }

    /** Metric names end up in reporter keys: keep them to a small alphabet. */
    private static String safe(String kind) {
        return kind == null ? "unknown" : kind.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
