package io.fendersec.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the client reports, for assertions. */
final class CountingMetrics implements ClientMetrics {
    final ConcurrentHashMap<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, AtomicInteger> retries = new ConcurrentHashMap<>();
    final AtomicInteger pages = new AtomicInteger();
    final AtomicInteger tokens = new AtomicInteger();
    final AtomicInteger rateWaits = new AtomicInteger();

    @Override
    public void pageFetched(int records) {
        pages.incrementAndGet();
    }

    @Override
    public void apiError(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void retry(String kind) {
        retries.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void rateLimitWait(long millis) {
        rateWaits.incrementAndGet();
    }

    @Override
    public void tokenRefreshed() {
        tokens.incrementAndGet();
    }

    int errors(String kind) {
        AtomicInteger n = errors.get(kind);
        return n == null ? 0 : n.get();
    }

    int retries(String kind) {
        AtomicInteger n = retries.get(kind);
        return n == null ? 0 : n.get();
    }
}
