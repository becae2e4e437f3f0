package io.fendersec.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket of requests per second, shared by every client of one JVM that talks to the same
 * base URL as the same client id: Flink runs several readers in one TaskManager, and the server's
 * budget is per account, not per reader. Bursts of up to one second's worth are allowed.
 *
 * <p>The first client to ask for a key decides its rate; later ones share that bucket (a budget
 * that changed between clients of one process would otherwise be exceeded).
 */
final class RateBudget {
    private static final ConcurrentHashMap<String, RateBudget> SHARED = new ConcurrentHashMap<>();

    private final double perSecond;
    private final double capacity;
    private double available;
    private long updatedNanos;

    RateBudget(double perSecond, long nowNanos) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.perSecond = perSecond;
        this.capacity = Math.max(1.0, perSecond);
        this.available = capacity;
        this.updatedNanos = nowNanos;
    }

    static RateBudget shared(String baseUrl, String clientId, double perSecond) {
        return SHARED.computeIfAbsent(baseUrl + "\u0000" + clientId, k -> new RateBudget(perSecond, System.nanoTime()));
    }

    /**
     * Takes one request from the budget at {@code nowNanos} and returns how long the caller must
     * wait before sending it (0 when within budget). Waiting callers queue: each reservation pushes
     * the next one a further {@code 1/rate} later.
     */
    synchronized long reserve(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - updatedNanos);
        available = Math.min(capacity, available + elapsed * perSecond / 1e9);
        updatedNanos = nowNanos;
        available -= 1;
        if (available >= 0) {
            return 0;
        }
        return (long) Math.ceil(-available / perSecond * 1e9);
    }

    /** Blocks until a request may be sent; returns the milliseconds waited. */
    long acquire() throws InterruptedException {
        long wait = reserve(System.nanoTime());
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return TimeUnit.NANOSECONDS.toMillis(wait);
    }
}
