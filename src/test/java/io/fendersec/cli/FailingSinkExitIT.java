package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;
import io.fendersec.error.ExitCode;

/**
 * Issue 26 §2: a sink that keeps failing fails a bounded {@code fendersec run} with one line and
 * exit 5, in bounded time (the bounded restart strategy: 6 restarts, about 21 s of backoff), and never
 * hangs waiting for resources. Real emulator over HTTP, real MiniCluster, a real HTTP receiver.
 */
class FailingSinkExitIT {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Instant FROM = Instant.parse("2026-11-27T18:00:00Z");

    @TempDir
    static Path keys;

    static BugfenderEmulator emu;

    @BeforeAll
    static void start() throws Exception {
        KeyPair kp = EmulatorKeys.generateInto(keys);
        emu = BugfenderEmulator.builder().bind("127.0.0.1").port(0).seed(7).apps(1).days(1).end(END)
                .logsPerDay(12_000).scenario("all").serviceAccount("svc", kp.getPublic(), List.of()).start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static Path job(Path dir, String alertSink) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "source:\n  url: " + emu.baseUrl() + "\n"
                + "  auth: {method: jwt, client-id: svc, private-key: " + keys.resolve("private-key.pem") + "}\n"
                + "  mode: bounded\n  from: " + FROM + "\n  to: " + END + "\n  slice: 6h\n  page-size: 250\n"
                + "sinks:\n  alerts:\n    - " + alertSink + "\n"
                + "checkpointing: {interval: 1s}\nparallelism: 1\n");
        return f;
    }

    /**
     * A receiver that answers 500 to every POST. Expected by hand: exit 5 (job failed), not 0 or 1
     * (a scheduler would read "done"), stderr's error is one line naming the webhook failure, the
     * receiver saw the alert again after each restart (it was retried, not dropped), and the run ended
     * within 3 minutes (bounded restarts; each attempt fails at its first alert, max-retries 0).
     * Mutations caught: the webhook writer swallowing a failed delivery (exit 1, alerts lost); a
     * 5xx taken for a content refusal and dead-lettered (exit 1); an unbounded restart strategy
     * for bounded runs (the run never ends: the timeout below).
     */
    @Test
    void aWebhookReceiverThatAlwaysFailsEndsTheRunWithExitFiveAndOneLine(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger posts = new AtomicInteger();
        server.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            posts.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            Path secret = Files.writeString(dir.resolve("webhook-secret"), "test-only-secret");
            Path spec = job(dir, "{type: webhook, url: " + url + ", secret: '${file:" + secret + "}', max-retries: 0,"
                    + " dead-letters: " + dir.resolve("dl") + "}");
            long t0 = System.nanoTime();
            RunCommandIT.Run r = RunCommandIT.run("run", spec.toString());
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            System.out.printf("FailingSinkExitIT: webhook always 500: exit %d after %d s, %d posts%n", r.exit(), seconds,
                    posts.get());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.JOB_FAILED);
            List<String> errorLines = r.err().lines().filter(l -> l.startsWith("fendersec:")).toList();
            assertThat(errorLines).as(r.err()).hasSize(1);
            assertThat(errorLines.get(0)).contains("webhook delivery").contains("HTTP 500").doesNotContain("/hook");
            assertThat(posts.get()).as("first attempt and restarts").isGreaterThan(1);
            assertThat(seconds).as("bounded time").isLessThan(180);
            assertThat(dir.resolve("dl")).as("a failing receiver is not a refused alert").doesNotExist();
        } finally {
            server.stop(0);
        }
    }
}
