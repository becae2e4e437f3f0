package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    void latencyDelaysApiAnswers() throws Exception {
        emu.setFaults(Faults.builder().latency(Duration.ofMillis(300)).build());
        long t0 = System.nanoTime();
        assertThat(status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
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
