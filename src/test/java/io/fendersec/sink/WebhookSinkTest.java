package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.auth.SecretRef;
import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/** The webhook writer against a real local HTTP receiver (the JDK's server) that checks signatures. */
class WebhookSinkTest {
    private static final String SECRET = "whsec-test-only";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received request. */
    record Received(Map<String, String> headers, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Status codes to answer, in order; 204 once they run out. */
    private final Deque<Integer> answers = new ArrayDeque<>();
    /** A receiver that answers 422 to any body holding this text (null: none). */
    private volatile String refuseBodiesWith;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach((k, v) -> h.put(k, v.get(0)));
            h.put("method", ex.getRequestMethod());
            received.add(new Received(h, body));
            Integer code;
            synchronized (answers) {
                code = answers.poll();
            }
            String refuse = refuseBodiesWith;
            if (code == null && refuse != null && new String(body, StandardCharsets.UTF_8).contains(refuse)) {
                code = 422;
            }
            ex.sendResponseHeaders(code == null ? 204 : code, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private WebhookWriter writer(WebhookSettings.Format format, int maxRetries) {
        return new WebhookWriter(new WebhookSettings(SecretRef.literal(url()), SecretRef.literal(SECRET), format,
                maxRetries, Duration.ofMillis(10), Duration.ofSeconds(5)));
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the receiver").isNotNull();
        return r;
    }

    @Test
    void postsTheAlertJsonSignedWithHmacOverTimestampAndBody() throws Exception {
        Alert a = TestAlerts.alert(3, 1);
        long before = Instant.now().getEpochSecond();
        try (WebhookWriter w = writer(WebhookSettings.Format.JSON, 0)) {
            w.write(a, null);
        }
        long after = Instant.now().getEpochSecond();
        Received r = next();
        assertThat(r.headers().get("method")).isEqualTo("POST");
        assertThat(r.headers().get("Content-Type")).startsWith("application/json");
        assertThat(r.headers().get("Idempotency-Key")).isEqualTo(a.alertId());
        long ts = Long.parseLong(r.headers().get(WebhookSigner.TIMESTAMP_HEADER));
        // The signing time: read between the test's two clock readings around the write, no tolerance.
        assertThat(ts).isBetween(before, after);
        // The receiver's check, written independently of WebhookSigner.
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(r.body()));
        assertThat(r.headers().get(WebhookSigner.SIGNATURE_HEADER)).isEqualTo(expected);
        assertThat(AlertJson.fromJson(new String(r.body(), StandardCharsets.UTF_8))).isEqualTo(a);
        // A body changed in transit no longer matches.
        assertThat(new WebhookSigner(SECRET).sign(ts, "{}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(expected);
    }

    @Test
    void retriesAfterServerErrorsWithTheSameAlertIdAndSucceeds() throws Exception {
        answers.add(500);
        answers.add(503);
        Alert a = TestAlerts.alert(4, 1);
        try (WebhookWriter w = writer(WebhookSettings.Format.JSON, 3)) {
            w.write(a, null);
        }
        for (int i = 0; i < 3; i++) {
            Received r = next();
            assertThat(r.headers().get("Idempotency-Key")).isEqualTo(a.alertId());
            assertThat(r.json().get("alert_id").asText()).isEqualTo(a.alertId());
        }
        assertThat(received).as("delivered on the third attempt, no more").isEmpty();
    }

    @Test
    void failsWhenRetriesRunOutAndAtOnceOnAClientError() throws Exception {
        for (int i = 0; i < 3; i++) {
            answers.add(500);
        }
        try (WebhookWriter w = writer(WebhookSettings.Format.JSON, 2)) {
            assertThatThrownBy(() -> w.write(TestAlerts.alert(5, 1), null))
                    .isInstanceOf(IOException.class).hasMessageContaining("after 3 attempt(s): HTTP 500");
        }
        assertThat(received).hasSize(3);
        received.clear();
        answers.add(401);
        try (WebhookWriter w = writer(WebhookSettings.Format.JSON, 5)) {
            assertThatThrownBy(() -> w.write(TestAlerts.alert(5, 1), null))
                    .isInstanceOf(IOException.class).hasMessageContaining("after 1 attempt(s): HTTP 401");
        }
        assertThat(received).as("a 4xx is not retried").hasSize(1);
    }

    @Test
    void retriesAConnectionError() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        WebhookWriter w = new WebhookWriter(new WebhookSettings(SecretRef.literal("http://127.0.0.1:" + port + "/hook"),
                SecretRef.literal(SECRET), WebhookSettings.Format.JSON, 2, Duration.ofMillis(10), Duration.ofSeconds(2)));
        assertThatThrownBy(() -> w.write(TestAlerts.alert(6, 1), null)).isInstanceOf(IOException.class)
                .hasMessageContaining("after 3 attempt(s)").hasMessageNotContaining("/hook");
        w.close();
    }

    @Test
    void slackFormatIsATextMessageWithRuleSeverityAppGroupWindowAndAlertId() throws Exception {
        Alert a = TestAlerts.alert(7, 1);
        try (WebhookWriter w = writer(WebhookSettings.Format.SLACK, 0)) {
            w.write(a, null);
        }
        JsonNode body = next().json();
        String text = body.get("text").asText();
        assertThat(text).contains("Brute force &lt;login&gt;", "brute-force", "severity: *medium*", "app: app-1",
                "source.ip=203.0.113.7", a.windowStart().toString(), a.windowEnd().toString(), a.alertId());
        assertThat(body.get("alert_id").asText()).isEqualTo(a.alertId());
    }

    /**
     * Issue 26 §2: what reaches the webhook is what every sink gets from the sink-safe stage: U+0000 and
     * a lone surrogate arrive as U+FFFD in valid UTF-8 JSON the receiver parses. Mutation caught:
     * SinkSafeAlerts.clean leaving the group or the title as they were (the receiver then reads a NUL
     * and a '?' instead).
     */
    @Test
    void deviceTextArrivesAsTheReplacementCharacterInValidJson() throws Exception {
        Alert a = TestAlerts.alert(6, 1).toBuilder().title("Secret \uD800").device("dev\u0000")
                .group(Map.of("source.ip", "203.0.113.6\u0000")).build();
        try (WebhookWriter w = writer(WebhookSettings.Format.JSON, 0)) {
            w.write(SinkSafeAlerts.clean(a), null);
        }
        Received r = next();
        JsonNode json = JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
        assertThat(json.path("title").asText()).isEqualTo("Secret \uFFFD");
        assertThat(json.path("device").asText()).isEqualTo("dev\uFFFD");
        assertThat(json.path("group").path("source.ip").asText()).isEqualTo("203.0.113.6\uFFFD");
    }

    private WebhookWriter batchingWriter(WebhookSettings.Format format, int batchSize, Path deadLetters,
            org.apache.flink.metrics.Counter counter) {
        return new WebhookWriter(new WebhookSettings(SecretRef.literal(url()), SecretRef.literal(SECRET), format, 0,
                Duration.ofMillis(10), Duration.ofSeconds(5), batchSize, Duration.ofSeconds(1), deadLetters.toString()),
                null, 3, counter);
    }

    /**
     * Issue 26 §3: with batch-size 3, five alerts go as two POSTs ({"alerts": [3]} when full, then
     * {"alerts": [2]} on flush, as before a checkpoint), each signed over its body; nothing is posted
     * before a batch is full. Mutations caught: write() posting each alert at once (five requests);
     * flush() not sending the partial batch (the last two alerts never leave before a checkpoint).
     */
    @Test
    void postsFullBatchesAndTheRestOnFlush(@TempDir Path dir) throws Exception {
        try (WebhookWriter w = batchingWriter(WebhookSettings.Format.JSON, 3, dir.resolve("dl"), new SimpleCounter())) {
            for (int n = 1; n <= 2; n++) {
                w.write(TestAlerts.alert(n, 1), null);
            }
            assertThat(received).as("nothing sent before the batch is full").isEmpty();
            for (int n = 3; n <= 5; n++) {
                w.write(TestAlerts.alert(n, 1), null);
            }
            Received first = next();
            assertThat(received).isEmpty();
            w.flush(false);
            Received second = next();
            assertThat(alertIds(first)).containsExactly(TestAlerts.alert(1, 1).alertId(), TestAlerts.alert(2, 1).alertId(),
                    TestAlerts.alert(3, 1).alertId());
            assertThat(alertIds(second)).containsExactly(TestAlerts.alert(4, 1).alertId(), TestAlerts.alert(5, 1).alertId());
            long ts = Long.parseLong(second.headers().get(WebhookSigner.TIMESTAMP_HEADER));
            assertThat(second.headers().get(WebhookSigner.SIGNATURE_HEADER))
                    .isEqualTo(new WebhookSigner(SECRET).sign(ts, second.body()));
            w.flush(true);
        }
        assertThat(received).as("an empty flush posts nothing").isEmpty();
    }

    private static List<String> alertIds(Received r) throws IOException {
        List<String> ids = new ArrayList<>();
        r.json().get("alerts").forEach(a -> ids.add(a.get("alert_id").asText()));
        return ids;
    }

    /**
     * Issue 26 §2: a receiver that refuses one alert (422 for any body holding it) does not take the
     * others with it: the refused batch is sent again alert by alert, the two it takes are delivered,
     * the refused one lands in the owner-only dead-letter file (reason and alert JSON) and the counter
     * says 1. Mutations caught: a 422 failing the write as before (exception, nothing delivered); the
     * refused alert dropped without a dead letter; the counter not incremented; the file world-readable.
     */
    @Test
    void aRefusedAlertGoesToTheDeadLetterFileAndTheRestOfItsBatchIsDelivered(@TempDir Path dir) throws Exception {
        Alert good1 = TestAlerts.alert(1, 1);
        Alert poison = TestAlerts.alert(2, 1).toBuilder().title("refuse-me").build();
        Alert good2 = TestAlerts.alert(3, 1);
        SimpleCounter counter = new SimpleCounter();
        refuseBodiesWith = "refuse-me";
        Path dl = dir.resolve("dl");
        try (WebhookWriter w = batchingWriter(WebhookSettings.Format.JSON, 3, dl, counter)) {
            w.write(good1, null);
            w.write(poison, null);
            w.write(good2, null);
        }
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        assertThat(all).as("the batch, then each alert alone").hasSize(4);
        assertThat(alertIds(all.get(0))).hasSize(3);
        assertThat(all.subList(1, 4)).allSatisfy(r -> assertThat(alertIds(r)).hasSize(1));
        assertThat(counter.getCount()).isEqualTo(1);
        Path file = dl.resolve("alerts-webhook-3.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        // The JDK's server sends no reason phrase.
        assertThat(line.get("reason").asText()).isEqualTo("HTTP 422");
        assertThat(line.get("alert").get("alert_id").asText()).isEqualTo(poison.alertId());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dl)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Issue 26 §2: a receiver that refuses the sink itself (401: a wrong secret) or keeps failing (500)
     * fails the write, with or without batches; nothing goes to dead letters. Mutation caught: every
     * 4xx treated as a content refusal (a wrong secret would then dead-letter every alert and the job
     * would never fail).
     */
    @Test
    void aRefusedSinkStillFailsTheWriteAndWritesNoDeadLetters(@TempDir Path dir) throws Exception {
        answers.add(401);
        SimpleCounter counter = new SimpleCounter();
        try (WebhookWriter w = batchingWriter(WebhookSettings.Format.JSON, 2, dir.resolve("dl"), counter)) {
            w.write(TestAlerts.alert(1, 1), null);
            assertThatThrownBy(() -> w.write(TestAlerts.alert(2, 1), null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("a batch of 2 alerts failed after 1 attempt(s): HTTP 401");
        }
        assertThat(counter.getCount()).isZero();
        assertThat(dir.resolve("dl")).doesNotExist();
    }
}
