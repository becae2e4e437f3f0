package io.fendersec.source.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.source.ApiFactory;
import io.fendersec.source.SharedApi;

/**
 * The enumerator's token lender, with a real HTTP client signing in to the emulator: a token is
 * answered to the attempt of the reader that asked, and to no one when that reader restarted
 * meanwhile (a failover gives subtask 0 a new attempt, which asks for itself). The coordinator
 * thread is played by the test: it runs the lender's reply when the test says, after the restart.
 *
 * <p>Mutation caught: {@code reply} without the check for the requester's attempt (the grant is
 * sent to attempt 0 after attempt 1 replaced it, or to a reader that is gone).
 */
class TokenLenderTest {
    static final String SECRET = "cs-lender-7f1e";

    BugfenderEmulator emu;
    SharedApi api;

    @BeforeEach
    void start() throws Exception {
        emu = BugfenderEmulator.builder().seed(1).apps(1).days(1).logsPerDay(0).clientSecret("cs", SECRET, List.of())
                .start();
        ClientSettings settings = ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId("cs")
                        .clientSecret(SecretRef.literal(SECRET)).build())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        api = new SharedApi(ApiFactory.HTTP, settings, null);
    }

    @AfterEach
    void stop() {
        api.close();
        emu.close();
    }

    @Test
    void aReplyGoesToTheAttemptThatAskedAndToNoneAfterARestart() throws Exception {
        Context ctx = new Context();
        ctx.register(0, 0);
        try (TokenLender lender = new TokenLender(ctx, api)) {
            lender.handle(0, 0, new TokenRequest(1, null));
            Runnable reply = ctx.coordinator.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("the lease, fetched over HTTP, hands its reply to the coordinator").isNotNull();
            reply.run();
            assertThat(ctx.sent).singleElement().satisfies(s -> {
                assertThat(s.subtask).isZero();
                assertThat(s.attempt).isZero();
                assertThat(((TokenGrant) s.event).requestId()).isEqualTo(1);
                assertThat(((TokenGrant) s.event).lease().accessToken()).isNotBlank();
            });
            ctx.sent.clear();

            // Attempt 0 asks, then fails over before the answer is back: attempt 1 replaces it.
            lender.handle(0, 0, new TokenRequest(2, null));
            Runnable late = ctx.coordinator.poll(30, TimeUnit.SECONDS);
            assertThat(late).isNotNull();
            ctx.unregister(0, 0);
            ctx.register(0, 1);
            late.run();
            assertThat(ctx.sent).as("no answer to a request the current attempt never made").isEmpty();

            // The reader is gone altogether (scaled in, or not yet back): no answer either.
            lender.handle(0, 1, new TokenRequest(3, null));
            Runnable gone = ctx.coordinator.poll(30, TimeUnit.SECONDS);
            assertThat(gone).isNotNull();
            ctx.unregister(0, 1);
            gone.run();
            assertThat(ctx.sent).isEmpty();
        }
    }

    record Sent(int subtask, int attempt, SourceEvent event) {}

    /** Readers by subtask and attempt as the test registers them; the coordinator thread is the test. */
    static final class Context implements SplitEnumeratorContext<SourceSplit> {
        final Map<Integer, Map<Integer, ReaderInfo>> readers = new HashMap<>();
        final List<Sent> sent = new ArrayList<>();
        final BlockingQueue<Runnable> coordinator = new LinkedBlockingQueue<>();

        void register(int subtask, int attempt) {
            readers.computeIfAbsent(subtask, k -> new HashMap<>()).put(attempt, new ReaderInfo(subtask, "host"));
        }

        void unregister(int subtask, int attempt) {
            Map<Integer, ReaderInfo> a = readers.get(subtask);
            a.remove(attempt);
            if (a.isEmpty()) {
                readers.remove(subtask);
            }
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return readers;
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            sent.add(new Sent(subtaskId, attemptNumber, event));
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            sent.add(new Sent(subtaskId, -1, event));
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            coordinator.add(runnable);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int currentParallelism() {
            return 1;
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            Map<Integer, ReaderInfo> out = new HashMap<>();
            readers.forEach((s, a) -> out.put(s, a.values().iterator().next()));
            return out;
        }

        @Override
        public void assignSplits(SplitsAssignment<SourceSplit> newSplitAssignments) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
            throw new UnsupportedOperationException();
        }
    }
}
