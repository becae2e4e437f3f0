package io.fendersec.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.Faults;
import io.fendersec.error.ConfigException;
import io.fendersec.error.NetworkException;
import io.fendersec.job.JobSpecReader;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code source.network.response-timeout}: the emulator trickles an answer one byte every 2 s, well
 * inside the 10 s read timeout, so only a deadline on the whole answer ends the attempt. Real HTTP
 * on loopback; the {@code @Timeout}s only turn a hang (the bug) into a failure instead of a stuck
 * build, they measure nothing.
 */
class ResponseDeadlineTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final String SECRET = "cs-deadline-9e2a";
    /** Each byte comes well within the read timeout: per-read timeouts never fire. */
    static final Duration TRICKLE = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    static BugfenderEmulator emu;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        emu = BugfenderEmulator.builder().seed(11).apps(2).days(1).end(END).logsPerDay(200)
                .clientSecret("cs-deadline", SECRET, List.of())
                .clientSecret("cs-deadline-2", SECRET, List.of())
                .start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @AfterEach
    void noFaults() {
        emu.setFaults(Faults.none());
    }

    static ClientSettings.Builder settings(String clientId) {
        return ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(clientId)
                        .clientSecret(SecretRef.literal(SECRET)).build())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .readTimeout(READ_TIMEOUT)
                .responseTimeout(Duration.ofSeconds(1));
    }

    /**
     * Every second API answer trickles (the app list is a few hundred bytes: minutes at one byte
     * per 2 s). The stalled attempt is aborted at the deadline and retried; the retry is answered
     * at once and the call returns the right apps.
     * Mutation caught: no whole-answer deadline (only HttpClient's per-read socket timeout, as
     * before) — the second call blocks for minutes and the 60 s guard fails the test; the deadline
     * counted as some other kind (e.g. "reset") fails the metric assertion.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTricklingAnswerIsAbortedAtTheDeadlineAndRetried() {
        CountingMetrics m = new CountingMetrics();
        try (BugfenderApi api = BugfenderApi.create(settings("cs-deadline").build(), m)) {
            List<String> expected = emu.apps().stream().map(a -> a.id()).toList();
            emu.setFaults(Faults.builder().trickleEvery(2, TRICKLE).build());
            assertThat(api.apps()).extracting(App::id).containsExactlyElementsOf(expected); // request 1: served
            assertThat(api.apps()).extracting(App::id).containsExactlyElementsOf(expected); // 2 trickles, 3 served
            assertThat(m.errors("response-timeout")).isEqualTo(1);
            assertThat(m.retries("response-timeout")).isEqualTo(1);
        }
    }

    /**
     * A server that always trickles: the usual retries, then one NetworkException (exit 4) naming
     * the key and the deadline.
     * Mutation caught: the deadline reported as a read timeout or without the key — the message
     * assertion fails; retries not bounded — the guard fails.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerThatAlwaysTricklesFailsAfterTheRetriesNamingTheKey() {
        CountingMetrics m = new CountingMetrics();
        try (BugfenderApi api = BugfenderApi.create(settings("cs-deadline-2").maxRetries(2).build(), m)) {
            emu.setFaults(Faults.builder().trickleEvery(1, TRICKLE).build());
            assertThatThrownBy(api::apps)
                    .isInstanceOf(NetworkException.class)
                    .hasMessageContaining("source.network.response-timeout (1 s)")
                    .hasMessageContaining("3 attempts")
                    .hasMessageNotContaining("\n");
            assertThat(m.errors("response-timeout")).isEqualTo(3);
        }
    }

    /**
     * The key in a job spec, with its documented default.
     * Mutation caught: the key not read (an "unknown key" error) or not passed to the client (the
     * default stays); a zero deadline accepted.
     */
    @Test
    void theJobSpecKeyIsReadAndValidated() throws Exception {
        Path spec = dir.resolve("job.yaml");
        String base = "source:\n  url: https://dashboard.bugfender.com\n  auth: {client-id: a, private-key: k.pem}\n";
        Files.writeString(spec, base);
        assertThat(new JobSpecReader().read(spec).source.client.responseTimeout()).isEqualTo(Duration.ofMinutes(5));
        Files.writeString(spec, base + "  network:\n    response-timeout: 90s\n");
        assertThat(new JobSpecReader().read(spec).source.client.responseTimeout()).isEqualTo(Duration.ofSeconds(90));
        Files.writeString(spec, base + "  network:\n    response-timeout: 0s\n");
        assertThatThrownBy(() -> new JobSpecReader().read(spec)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.network.response-timeout");
    }
}
