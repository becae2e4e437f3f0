package io.fendersec.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Failures the emulator injects so that clients can be tested against them; all off by default.
 * Random faults draw from a generator seeded with {@link Builder#seed}, so a run is repeatable;
 * each also has an "every Nth request" form for tests that must see a fault at a known request.
 * Faults apply to requests whose path starts with {@link Builder#appliesTo} ({@code /api/} by
 * default, so authentication keeps working while the API misbehaves).
 */
public final class Faults {
    private final Duration latency;
    private final double rateLimit;
    private final double serverErrorRate;
    private final int serverErrorEvery;
    private final double resetRate;
    private final int resetEvery;
    private final double truncateRate;
    private final int truncateEvery;
    private final int trickleEvery;
    private final Duration trickleInterval;
    private final Duration tokenTtl;
    private final long seed;
    private final String appliesTo;

    private Faults(Builder b) {
        this.latency = b.latency;
        this.rateLimit = b.rateLimit;
        this.serverErrorRate = b.serverErrorRate;
        this.serverErrorEvery = b.serverErrorEvery;
        this.resetRate = b.resetRate;
        this.resetEvery = b.resetEvery;
        this.truncateRate = b.truncateRate;
        this.truncateEvery = b.truncateEvery;
        this.trickleEvery = b.trickleEvery;
        this.trickleInterval = b.trickleInterval;
        this.tokenTtl = b.tokenTtl;
        this.seed = b.seed;
        this.appliesTo = b.appliesTo;
    }

    public static Faults none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration latency() {
        return latency;
    }

    /** Requests per second allowed before 429; 0 = unlimited. */
    public double rateLimit() {
        return rateLimit;
    }

    public double serverErrorRate() {
        return serverErrorRate;
    }

    public int serverErrorEvery() {
        return serverErrorEvery;
    }

    public double resetRate() {
        return resetRate;
    }

    public int resetEvery() {
        return resetEvery;
    }

    public double truncateRate() {
        return truncateRate;
    }

    public int truncateEvery() {
        return truncateEvery;
    }

    /** Every Nth answer is sent one byte per {@link #trickleInterval}; 0 = off. */
    public int trickleEvery() {
        return trickleEvery;
    }

    public Duration trickleInterval() {
        return trickleInterval;
    }

    /** Overrides the emulator's token TTL while these faults are on; null = no override. */
    public Duration tokenTtl() {
        return tokenTtl;
    }

    public long seed() {
        return seed;
    }

    public String appliesTo() {
        return appliesTo;
    }

    public static final class Builder {
        private Duration latency = Duration.ZERO;
        private double rateLimit;
        private double serverErrorRate;
        private int serverErrorEvery;
        private double resetRate;
        private int resetEvery;
        private double truncateRate;
        private int truncateEvery;
        private int trickleEvery;
        private Duration trickleInterval = Duration.ofSeconds(1);
        private Duration tokenTtl;
        private long seed = 1;
        private String appliesTo = "/api/";

        private Builder() {}

        /** Delay added to every request. */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            this.latency = latency;
            return this;
        }

        /** Request-rate budget (requests per second, bursts up to one second's worth); above it, 429 + Retry-After. */
        public Builder rateLimit(double requestsPerSecond) {
            if (requestsPerSecond < 0) {
                throw new IllegalArgumentException("rate limit must not be negative");
            }
            this.rateLimit = requestsPerSecond;
            return this;
        }

        /** Fraction of requests answered 503. */
        public Builder serverErrorRate(double rate) {
            this.serverErrorRate = fraction(rate, "server error rate");
            return this;
        }

        /** Every Nth request (N, 2N, ...) answered 503; 0 = off. */
        public Builder serverErrorEvery(int n) {
            this.serverErrorEvery = every(n);
            return this;
        }

        /** Fraction of connections reset (TCP RST) instead of answered. */
        public Builder resetRate(double rate) {
            this.resetRate = fraction(rate, "reset rate");
            return this;
        }

        public Builder resetEvery(int n) {
            this.resetEvery = every(n);
            return this;
        }

        /** Fraction of answers cut off before their advertised Content-Length. */
        public Builder truncateRate(double rate) {
            this.truncateRate = fraction(rate, "truncate rate");
            return this;
        }

        public Builder truncateEvery(int n) {
            this.truncateEvery = every(n);
            return this;
        }

        /**
         * Every Nth answer (N, 2N, ...) trickles: its body goes out one byte per {@code interval},
         * each byte well within a client's read timeout, the whole far beyond any sensible deadline.
         * Only the every-N form exists, so that switching it on leaves the random draws of the other
         * faults as they were.
         */
        public Builder trickleEvery(int n, Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("trickle interval must be positive");
            }
            this.trickleEvery = every(n);
            this.trickleInterval = interval;
            return this;
        }

        /** Access tokens issued while these faults are on live this long. */
        public Builder tokenTtl(Duration ttl) {
            if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
                throw new IllegalArgumentException("token TTL must be positive");
            }
            this.tokenTtl = ttl;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Path prefix the faults apply to ({@code /api/} by default; {@code /} for everything). */
        public Builder appliesTo(String pathPrefix) {
            this.appliesTo = Objects.requireNonNull(pathPrefix, "pathPrefix");
            return this;
        }

        public Faults build() {
            return new Faults(this);
        }

        private static double fraction(double rate, String what) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(what + " must be between 0 and 1");
            }
            return rate;
        }

        private static int every(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("every-N must not be negative");
            }
            return n;
        }
    }
}
