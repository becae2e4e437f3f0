package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ExitCode;

/**
 * An API that answers with a redirect (issue 27 §5): a real HTTP server on loopback answers 302
 * at the token endpoint, or at the logs endpoints after a good sign-in. {@code fendersec run} (in
 * a JVM of its own, on the MiniCluster) must end at once with exit 4 and one line naming the
 * status and the Location (control characters escaped), having asked the redirecting endpoint
 * once: a redirect is the same answer every time, so neither the client's retries nor the job's
 * restarts may repeat it.
 */
class RedirectAnswerTest {
    /** A Location an attacker in the path would write: an escape sequence that clears the terminal. */
    static final String LOCATION = "http://login.example.net/sso?next=\u001b[2Jgone";

    @TempDir
    Path dir;
    HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    // Mutation caught: a 3xx at the token endpoint goes down the 5xx/network path (retried, then the
    // job restarts ~10 times): the server sees more than one token request and the run does not end
    // with exit 4 and the redirect's line. Seen failing before the fix (the run took minutes).
    @Test
    void aRedirectAtTheTokenEndpointEndsTheRunAtOnceWithExit4() throws Exception {
        start(false);
        Result r = fendersec("run", job().toString());
        assertRedirectLine(r, "/auth/token");
        // Two sign-ins at most: the progress line's log count signs in on its own (best effort), then
        // the job once. Before the fix the server saw 23 in 120 s, the job still restarting.
        assertThat(seen).as("requests the server saw").filteredOn(s -> s.startsWith("POST /auth/token"))
                .hasSizeBetween(1, 2);
    }

    // Mutation caught: a 3xx at /api/ is thrown as a NetworkException the Flink restart strategy
    // retries (job restarts), or is retried by the client: the logs endpoint is asked more than once.
    @Test
    void aRedirectAtTheLogsEndpointEndsTheRunAtOnceWithExit4() throws Exception {
        start(true);
        Result r = fendersec("run", job().toString());
        assertRedirectLine(r, "/api/app/");
        List<String> api = seen.stream().filter(s -> s.contains(" /api/app/app-1/logs/")).toList();
        // The enumerator and the count for the progress line may each ask a different endpoint once;
        // the same endpoint twice is a retry or a restart.
        assertThat(api).as("API requests the server saw").isNotEmpty().doesNotHaveDuplicates();
    }

    private void assertRedirectLine(Result r, String path) {
        assertThat(r.exit).as(r.err).isEqualTo(ExitCode.NETWORK);
        List<String> lines = r.err.lines().filter(l -> l.contains("redirect")).toList();
        assertThat(lines).as(r.err).hasSize(1);
        String line = lines.get(0);
        assertThat(line).startsWith("fendersec: ").contains("302", path)
                .contains("http://login.example.net/sso?next=\\u001b[2Jgone");
        assertThat(r.err).doesNotContain("\u001b").doesNotContain("\tat ").doesNotContain("retry");
    }

    private void start(boolean tokenOk) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            ex.getRequestBody().readAllBytes();
            if (tokenOk && ex.getRequestURI().getPath().equals("/auth/token")) {
                answer(ex, 200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                return;
            }
            ex.getResponseHeaders().add("Location", LOCATION);
            answer(ex, 302, "<html>moved</html>");
        });
        server.start();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private Path job() throws IOException {
        Files.writeString(dir.resolve("secret"), "cs-redirect-1\n");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n  url: http://127.0.0.1:" + server.getAddress().getPort() + "\n"
                + "  apps: [app-1]\n"
                + "  auth: {method: client-secret, client-id: cs, client-secret: '${file:" + dir.resolve("secret") + "}'}\n"
                + "  from: 2026-11-27T00:00:00Z\n  to: 2026-11-28T00:00:00Z\n"
                + "rules: {builtin: []}\n");
        return job;
    }

    record Result(int exit, String err) {}

    /** The CLI in its own JVM with the shipped logging configuration (as a user runs it). */
    private Result fendersec(String... args) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", cp,
                "-Dlog4j2.configurationFile=" + Main.class.getResource("/log4j2.xml"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // A safety net against a hang, not a speed target: the run fails at once or restarts for minutes.
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fendersec " + String.join(" ", args) + " did not end in 120 s (restarting?); "
                    + seen.size() + " requests\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
