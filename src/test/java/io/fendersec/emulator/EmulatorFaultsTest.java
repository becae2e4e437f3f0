package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each fault switch, on a running emulator, on a clock the test controls. */
class EmulatorFaultsTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    static BugfenderEmulator emu;
    static EmulatorHttp h;
    static String token;
    static String pageUrl;

    @BeforeAll
    static void start() throws Exception {
        emu = BugfenderEmulator.builder().apps(1).days(1).logsPerDay(500).end(Instant.parse("2026-11-28T00:00:00Z"))
                .clock(CLOCK).clientSecret("cs-1", "s3cret", List.of()).start();
        h = new EmulatorHttp(emu);
        token = h.secretToken("cs-1", "s3cret");
        pageUrl = emu.baseUrl() + "/api/app/" + emu.apps().get(0).id() + "/logs/paginated?date_range_start=2026-11-27T00:00:00Z&page_size=200";
    }

    @AfterEach
    void clear() {
        emu.setFaults(Faults.none());
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static int status() throws Exception {
        return h.get(pageUrl, token).statusCode();
    }

    @Test
    void latencyHoldsTheRequestOnTheServerBeforeAnswering() throws Exception {
        // No duration is compared with the wall clock: with a latency far longer than the test, the
        // request must be seen held by the server (a handler thread waiting inside EmulatorHandler)
        // while the client still has no answer. Without the latency the answer arrives instead.
        emu.setFaults(Faults.builder().latency(Duration.ofMinutes(10)).build());
        CompletableFuture<HttpResponse<String>> answer = h.http.sendAsync(
                HttpRequest.newBuilder(URI.create(pageUrl)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Thread held = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held == null && !answer.isDone()) {
            assertThat(System.nanoTime() - deadline).as("the request reached the emulator within 10 s").isNegative();
            held = heldInHandler();
            Thread.onSpinWait();
        }
        assertThat(answer).as("answered although a latency of 10 minutes is configured").isNotDone();
        assertThat(held).isNotNull();
        // Faults off first: the JDK client retries a GET whose connection was reset once, and that
        // retry must not wait ten minutes in turn. Then end the held request's wait.
        emu.setFaults(Faults.none());
        held.interrupt();
        answer.handle((response, error) -> null).get(30, TimeUnit.SECONDS);
        assertThat(status()).isEqualTo(200);
    }

    /** A thread waiting with a timeout while inside the emulator's request handler, or null. */
    private static Thread heldInHandler() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getState() == Thread.State.TIMED_WAITING && Arrays.stream(e.getValue())
                    .anyMatch(f -> f.getClassName().equals("io.fendersec.emulator.http.EmulatorHandler"))) {
                return e.getKey();
            }
        }
        return null;
    }

    @Test
    void overTheRateBudgetIs429WithRetryAfter() throws Exception {
        emu.setFaults(Faults.builder().rateLimit(2).build());
        assertThat(status()).isEqualTo(200);
        assertThat(status()).isEqualTo(200);
        HttpResponse<String> limited = h.get(pageUrl, token);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.body()).contains("\"error\":\"rate_limited\"");
        CLOCK.advance(Duration.ofMillis(500));
        assertThat(status()).isEqualTo(200);
        assertThat(status()).isEqualTo(429);
    }

    @Test
    void serverErrorsEveryNthRequest() throws Exception {
        emu.setFaults(Faults.builder().serverErrorEvery(3).build());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(status());
        }
        assertThat(statuses).containsExactly(200, 200, 503, 200, 200, 503);
    }

    @Test
    void randomServerErrorsRepeatForTheSameSeed() throws Exception {
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        emu.setFaults(Faults.builder().serverErrorRate(0.5).seed(99).build());
        for (int i = 0; i < 12; i++) {
            first.add(status());
        }
        emu.setFaults(Faults.builder().serverErrorRate(0.5).seed(99).build());
        for (int i = 0; i < 12; i++) {
            second.add(status());
        }
        assertThat(first).isEqualTo(second).contains(200, 503);
    }

    @Test
    void faultsLeaveTheTokenEndpointAloneByDefault() throws Exception {
        emu.setFaults(Faults.builder().serverErrorEvery(1).build());
        assertThat(h.secretToken("cs-1", "s3cret")).isNotEmpty();
        emu.setFaults(Faults.builder().serverErrorEvery(1).appliesTo("/").build());
        assertThat(h.token(EmulatorHttp.form("grant_type", "client_credentials", "client_id", "cs-1", "client_secret", "s3cret"))
                .statusCode()).isEqualTo(503);
    }

    /** A raw GET, so the test sees exactly what arrives on the wire. */
    private static byte[] rawGet(String pathAndQuery) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", emu.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        }
    }

    @Test
    void resetAbortsTheConnectionWithARst() throws Exception {
        emu.setFaults(Faults.builder().resetEvery(1).build());
        String path = pageUrl.substring(emu.baseUrl().length());
        assertThatThrownBy(() -> rawGet(path)).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        assertThatThrownBy(() -> h.get(pageUrl, token)).isInstanceOf(IOException.class);
    }

    @Test
    void truncatedBodiesEndBeforeTheirContentLength() throws Exception {
        emu.setFaults(Faults.builder().truncateEvery(1).build());
        String text = new String(rawGet(pageUrl.substring(emu.baseUrl().length())), StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String head = text.substring(0, split);
        assertThat(head).startsWith("HTTP/1.1 200");
        int advertised = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        int received = text.substring(split + 4).getBytes(StandardCharsets.UTF_8).length;
        assertThat(received).isPositive().isLessThan(advertised);
        assertThatThrownBy(() -> h.get(pageUrl, token)).isInstanceOf(IOException.class);
    }

    @Test
    void truncatedDownloadEndsWithoutTheTerminatingChunk() throws Exception {
        emu.setFaults(Faults.builder().truncateEvery(1).build());
        String download = pageUrl.replace("paginated", "download");
        assertThatThrownBy(() -> h.get(download, token)).isInstanceOf(IOException.class);
    }

    @Test
    void shortTokenTtlFault() throws Exception {
        emu.setFaults(Faults.builder().tokenTtl(Duration.ofSeconds(5)).build());
        HttpResponse<String> r = h.token(EmulatorHttp.form("grant_type", "client_credentials", "client_id", "cs-1", "client_secret", "s3cret"));
        String shortLived = EmulatorHttp.json(r).get("access_token").asText();
        assertThat(EmulatorHttp.json(r).get("expires_in").asLong()).isEqualTo(5);
        CLOCK.advance(Duration.ofSeconds(5));
        assertThat(h.get(pageUrl, shortLived).statusCode()).isEqualTo(401);
        emu.setFaults(Faults.none());
        HttpResponse<String> normal = h.token(EmulatorHttp.form("grant_type", "client_credentials", "client_id", "cs-1", "client_secret", "s3cret"));
        assertThat(EmulatorHttp.json(normal).get("expires_in").asLong()).isEqualTo(3600);
        token = EmulatorHttp.json(normal).get("access_token").asText();
    }
}
