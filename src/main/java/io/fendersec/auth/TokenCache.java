package io.fendersec.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One access token shared by every caller of a process. It is reused until shortly before it
 * expires; then the first caller fetches a new one while the others wait for that same fetch
 * (single flight: a burst of readers never causes a burst of sign-ins). After a 401 the caller
 * {@link #invalidate}s the token it used, so only the first of several callers rejected with the
 * same token signs in again.
 *
 * <p>Expiry is measured on the local clock from when the answer arrived plus {@code expires_in},
 * never from the server's clock, so clock skew between the two does not matter here. The refresh
 * margin is a quarter of the lifetime, at most 60 s: a 3 s token is renewed after 2.25 s, a 1 h
 * token one minute before its end.
 */
public final class TokenCache {
    private static final Duration MAX_MARGIN = Duration.ofSeconds(60);
    /**
     * A token is renewed after a day at the latest, whatever its {@code expires_in} claims: renewing
     * early costs one request, while a lifetime near {@code Long.MAX_VALUE} seconds would overflow
     * the expiry instant.
     */
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    private final TokenProvider provider;
    private final Clock clock;
    private final Runnable onRefresh;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Cached current;
    /** Sign-ins ended so far; a caller compares it before and after waiting for the lock. */
    private volatile long flights;
    /** How the latest sign-in failed (null: it succeeded), for the callers that waited for it. */
    private RuntimeException lastFailure;

    public TokenCache(TokenProvider provider, Clock clock, Runnable onRefresh) {
        this.provider = Objects.requireNonNull(provider);
        this.clock = Objects.requireNonNull(clock);
        this.onRefresh = onRefresh == null ? () -> {} : onRefresh;
    }

    /** A valid access token, fetching a new one when needed. A credential: never log it. */
    public String accessToken() {
        Cached c = current;
        if (c != null && c.usable(clock.instant())) {
            return c.token;
        }
        long seen = flights;
        lock.lock();
        try {
            c = current;
            if (c != null && c.usable(clock.instant())) {
                return c.token; // another caller refreshed while this one waited
            }
            rethrowFailureOfAFlightWaitedFor(seen);
            return refreshLocked().token;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the one owner of a credential that other processes borrow tokens from: the current token
     * and how long it still lives, renewed first when it is due or when it is {@code stale} (the
     * borrower's token, which it found due or the server rejected). Borrowers that bring the same
     * stale token one after the other cause one renewal, not one each. A credential: never log it.
     */
    public TokenResponse lease(String stale) {
        long seen = flights;
        lock.lock();
        try {
            Cached c = current;
            Instant now = clock.instant();
            if (c == null || !c.usable(now) || c.token.equals(stale)) {
                rethrowFailureOfAFlightWaitedFor(seen);
                c = refreshLocked();
                now = clock.instant();
            }
            Duration left = Duration.between(now, c.expiresAt);
            return new TokenResponse(c.token, left.isNegative() ? Duration.ZERO : left, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Single flight holds for failures too: callers that queued while a sign-in was under way and
     * failed share its failure instead of each asking again. Resolving the chunk of a day's slices
     * runs a dozen concurrent callers; against a server that redirects or refuses, each of them
     * repeated the same refused sign-in (RedirectAnswerTest saw 12 token requests under load). The
     * provider has already retried what is worth retrying.
     */
    private void rethrowFailureOfAFlightWaitedFor(long seen) {
        if (flights != seen && lastFailure != null) {
            throw lastFailure;
        }
    }

    private Cached refreshLocked() {
        Instant asked = clock.instant();
        TokenResponse answer;
        try {
            answer = provider.fetch();
        } catch (RuntimeException e) {
            lastFailure = e;
            flights++;
            throw e;
        }
        lastFailure = null;
        flights++;
        Cached fresh = new Cached(answer.accessToken(), asked, answer.expiresIn());
        current = fresh;
        onRefresh.run();
        return fresh;
    }

    /** Callers waiting for the lock (for tests that need several queued behind one sign-in). */
    int queuedForTest() {
        return lock.getQueueLength();
    }

    /** Forgets {@code rejected} if it is still the cached token (the server answered 401 to it). */
    public void invalidate(String rejected) {
        lock.lock();
        try {
            Cached c = current;
            if (c != null && c.token.equals(rejected)) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    public String describe() {
        return provider.describe();
    }

    @Override
    public String toString() {
        return "TokenCache{" + provider.describe() + "}";
    }

    private static final class Cached {
        final String token;
        final Instant refreshAt;
        final Instant expiresAt;

        Cached(String token, Instant asked, Duration lifetime) {
            this.token = token;
            if (lifetime.compareTo(MAX_LIFETIME) > 0) {
                lifetime = MAX_LIFETIME;
            }
            // Counted from when the request was sent: the server's clock started no later.
            Duration margin = lifetime.dividedBy(4);
            if (margin.compareTo(MAX_MARGIN) > 0) {
                margin = MAX_MARGIN;
            }
            this.expiresAt = asked.plus(lifetime);
            this.refreshAt = expiresAt.minus(margin);
        }

        boolean usable(Instant now) {
            return now.isBefore(refreshAt);
        }
    }
}
