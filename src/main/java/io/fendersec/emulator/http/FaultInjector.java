package io.fendersec.emulator.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import io.fendersec.emulator.Faults;

/**
 * Decides, request by request, which fault (if any) the current {@link Faults} inflict. Counters
 * and the random generator restart whenever the faults are switched, so a test sees the same
 * sequence every time.
 */
final class FaultInjector {
    /** What happens to one request. */
    enum Outcome { SERVE, RATE_LIMITED, RESET, SERVER_ERROR, TRUNCATE, TRICKLE }

    static final class Decision {
        final Outcome outcome;
        final long retryAfterSeconds;

        Decision(Outcome outcome, long retryAfterSeconds) {
            this.outcome = outcome;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private static final Decision SERVE = new Decision(Outcome.SERVE, 0);

    private final Clock clock;
    private Faults faults = Faults.none();
    private Random random = new Random(1);
    private long requests;
    private double bucket;
    private Instant bucketTime;

    FaultInjector(Clock clock) {
        this.clock = clock;
    }

    synchronized void set(Faults f) {
        this.faults = f;
        this.random = new Random(f.seed());
        this.requests = 0;
        this.bucket = f.rateLimit();
        this.bucketTime = clock.instant();
    }

    synchronized Faults faults() {
        return faults;
    }

    /** The latency to add before answering {@code path}. */
    synchronized Duration latency(String path) {
        return path.startsWith(faults.appliesTo()) ? faults.latency() : Duration.ZERO;
    }

    synchronized Decision decide(String path) {
        Faults f = faults;
        if (!path.startsWith(f.appliesTo())) {
            return SERVE;
        }
        long n = ++requests;
        if (f.rateLimit() > 0) {
            Instant now = clock.instant();
            double elapsed = Math.max(0, Duration.between(bucketTime, now).toNanos() / 1e9);
            bucketTime = now;
            // A token bucket holding one second's budget: bursts up to the rate, then the rate.
            bucket = Math.min(f.rateLimit(), bucket + elapsed * f.rateLimit());
            if (bucket < 1) {
                long wait = (long) Math.ceil((1 - bucket) / f.rateLimit());
                return new Decision(Outcome.RATE_LIMITED, Math.max(1, wait));
            }
            bucket -= 1;
        }
        // One draw per fault kind per request keeps the sequence independent of which faults are on.
        double resetDraw = random.nextDouble();
        double errorDraw = random.nextDouble();
        double truncateDraw = random.nextDouble();
        if (hit(n, f.resetEvery(), resetDraw, f.resetRate())) {
            return new Decision(Outcome.RESET, 0);
        }
        if (hit(n, f.serverErrorEvery(), errorDraw, f.serverErrorRate())) {
            return new Decision(Outcome.SERVER_ERROR, 0);
        }
        if (hit(n, f.truncateEvery(), truncateDraw, f.truncateRate())) {
            return new Decision(Outcome.TRUNCATE, 0);
        }
        if (f.trickleEvery() > 0 && n % f.trickleEvery() == 0) {
            return new Decision(Outcome.TRICKLE, 0);
        }
        return SERVE;
    }

    private static boolean hit(long n, int every, double draw, double rate) {
        return (every > 0 && n % every == 0) || draw < rate;
    }
}
