package io.fendersec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TokenCacheTest {
    static final class ManualClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-28T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void reusesUntilShortlyBeforeExpiry() {
        ManualClock clock = new ManualClock();
        AtomicInteger fetches = new AtomicInteger();
        TokenProvider p = provider(fetches, Duration.ofSeconds(3600), null);
        AtomicInteger refreshed = new AtomicInteger();
        TokenCache cache = new TokenCache(p, clock, refreshed::incrementAndGet);
        assertThat(cache.accessToken()).isEqualTo("t1");
        clock.now = clock.now.plusSeconds(3600 - 61);
        assertThat(cache.accessToken()).isEqualTo("t1");
        clock.now = clock.now.plusSeconds(2); // inside the last minute
        assertThat(cache.accessToken()).isEqualTo("t2");
        assertThat(refreshed).hasValue(2);
    }

    @Test
    void invalidateOnlyDropsTheRejectedToken() {
        ManualClock clock = new ManualClock();
        AtomicInteger fetches = new AtomicInteger();
        TokenCache cache = new TokenCache(provider(fetches, Duration.ofSeconds(3600), null), clock, null);
        String t1 = cache.accessToken();
        cache.invalidate(t1);
        String t2 = cache.accessToken();
        assertThat(t2).isEqualTo("t2");
        cache.invalidate(t1); // a second caller rejected with the old token: no new sign-in
        assertThat(cache.accessToken()).isEqualTo("t2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void leaseRenewsOnceForBorrowersBringingTheSameStaleToken() {
        ManualClock clock = new ManualClock();
        AtomicInteger fetches = new AtomicInteger();
        TokenCache cache = new TokenCache(provider(fetches, Duration.ofSeconds(3600), null), clock, null);
        TokenResponse first = cache.lease(null);
        assertThat(first.accessToken()).isEqualTo("t1");
        clock.now = clock.now.plusSeconds(600);
        assertThat(cache.lease(null).expiresIn()).isEqualTo(Duration.ofSeconds(3000)); // what is left, not the lifetime
        // Four borrowers rejected with t1 (a 401): the first causes one renewal, the others get its result.
        for (int i = 0; i < 4; i++) {
            assertThat(cache.lease("t1").accessToken()).isEqualTo("t2");
        }
        assertThat(fetches).hasValue(2);
        assertThat(cache.accessToken()).isEqualTo("t2"); // the owner's own calls use the same token
        clock.now = clock.now.plusSeconds(3600 - 59); // due: renewed for whoever asks first
        assertThat(cache.lease("t1").accessToken()).isEqualTo("t3");
    }

    @Test
    void anAbsurdLifetimeIsCappedInsteadOfOverflowing() {
        ManualClock clock = new ManualClock();
        AtomicInteger fetches = new AtomicInteger();
        TokenCache cache = new TokenCache(provider(fetches, Duration.ofSeconds(Long.MAX_VALUE), null), clock, null);
        assertThat(cache.accessToken()).isEqualTo("t1");
        assertThat(cache.lease(null).expiresIn()).isEqualTo(TokenCache.MAX_LIFETIME);
        clock.now = clock.now.plus(TokenCache.MAX_LIFETIME);
        assertThat(cache.accessToken()).isEqualTo("t2");
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        ManualClock clock = new ManualClock();
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch fetchEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TokenCache cache = new TokenCache(provider(fetches, Duration.ofSeconds(3600), () -> {
            fetchEntered.countDown();
            await(release);
        }), clock, null);
        List<FutureTask<String>> results = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        try {
            FutureTask<String> first = new FutureTask<>(cache::accessToken);
            results.add(first);
            callers.add(start(first));
            assertThat(fetchEntered.await(10, TimeUnit.SECONDS)).isTrue();
            List<Thread> others = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                FutureTask<String> task = new FutureTask<>(cache::accessToken);
                results.add(task);
                others.add(start(task));
            }
            callers.addAll(others);
            // The first fetch is held until every other caller is parked: on the first fetch (single
            // flight) or, without sharing, in a fetch of its own. Released earlier, the others could
            // find the fresh token in the cache and one fetch would be counted without any sharing.
            awaitParked(others);
            release.countDown();
            for (FutureTask<String> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("t1");
            }
            assertThat(fetches).hasValue(1);
        } finally {
            release.countDown();
            callers.forEach(Thread::interrupt);
        }
    }

    private static Thread start(Runnable task) {
        Thread t = new Thread(task, "token-caller");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Polls thread states (a condition, not a timed guess) until each thread waits on something. */
    private static void awaitParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threads.stream().allMatch(TokenCacheTest::parked)) {
            assertThat(System.nanoTime() - deadline).as("callers parked within 10 s").isNegative();
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Mutation caught: a failed sign-in not shared with the callers that waited for it (each queued
    // caller signs in again): the refusing server is asked once per caller, 8 times here, as
    // RedirectAnswerTest saw a redirecting token endpoint asked 12 times while the split enumerator
    // resolved a day of slices concurrently.
    @Test
    void callersWaitingForASignInThatFailsShareItsFailure() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TokenCache cache = new TokenCache(new TokenProvider() {
            @Override
            public TokenResponse fetch() {
                fetches.incrementAndGet();
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("refused");
            }

            @Override
            public String describe() {
                return "refusing";
            }
        }, new ManualClock(), null);
        List<FutureTask<String>> callers = new ArrayList<>();
        FutureTask<String> first = new FutureTask<>(cache::accessToken);
        new Thread(first).start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 7; i++) {
            FutureTask<String> t = new FutureTask<>(cache::accessToken);
            callers.add(t);
            new Thread(t).start();
        }
        // The seven are queued on the lock once the lock has that many waiters; no sleep needed.
        while (cache.queuedForTest() < 7) {
            Thread.onSpinWait();
        }
        release.countDown();
        for (FutureTask<String> t : callers) {
            assertThatThrownBy(t::get).hasRootCauseMessage("refused");
        }
        assertThatThrownBy(first::get).hasRootCauseMessage("refused");
        assertThat(fetches).as("sign-ins").hasValue(1);
        // A later caller, who did not wait for that flight, asks again.
        assertThatThrownBy(cache::accessToken).hasMessage("refused");
        assertThat(fetches).hasValue(2);
    }

    private static TokenProvider provider(AtomicInteger fetches, Duration ttl, Runnable during) {
        return new TokenProvider() {
            @Override
            public TokenResponse fetch() {
                if (during != null) {
                    during.run();
                }
                return new TokenResponse("t" + fetches.incrementAndGet(), ttl, null);
            }

            @Override
            public String describe() {
                return "test";
            }
        };
    }
}
