package io.fendersec.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * {@code initial * 2^n}, capped. Jitter keeps the readers of one process from retrying in lockstep
 * after a shared failure; the guaranteed half keeps the backoff meaningful.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The wait before retry number {@code retry} (0 for the first retry). */
    long delayMillis(int retry) {
        return delayMillis(retry, ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} in [0, 1): deterministic form for tests. */
    long delayMillis(int retry, double random) {
        long ceiling = retry >= 62 ? maxMillis : Math.min(maxMillis, initialMillis << Math.min(retry, 40));
        if (ceiling < 0) {
            ceiling = maxMillis;
        }
        long half = ceiling / 2;
        return half + (long) (random * (ceiling - half));
    }
}
