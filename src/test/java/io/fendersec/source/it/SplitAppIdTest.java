package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.model.LogRecord;
import io.fendersec.source.BugfenderSource;

/**
 * Issue 27 §4: a log served under app A that says {@code "app": "victim-app"} is counted, archived
 * and alerted under A, the app its split asked for; the server's value does not pick the app. The
 * real emulator serves the logs through a loopback relay that rewrites the {@code app} of every log
 * it serves (a misbehaving server, or one serving what a device managed to store); a bounded source
 * on a local MiniCluster reads them.
 */
class SplitAppIdTest {
    static final Instant END = Instant.parse("2026-02-01T00:00:00Z");

    // Mutation caught: the emitter passes the record's own app on (as before: logs read from A came
    // out as "victim-app", to be counted and alerted under it). Seen failing with that mutation.
    @Test
    void logsCarryTheAppTheirSplitAskedFor() throws Exception {
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(4).apps(1).days(1).end(END).logsPerDay(300))) {
            String app = f.emulator.apps().get(0).id();
            String upstream = f.emulator.baseUrl();
            AtomicInteger rewritten = new AtomicInteger();
            HttpClient http = HttpClient.newHttpClient();
            HttpServer relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String self = "http://127.0.0.1:" + relay.getAddress().getPort();
            relay.createContext("/", ex -> {
                try {
                    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
                            .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
                    for (String h : List.of("Authorization", "Content-Type", "Accept")) {
                        String v = ex.getRequestHeaders().getFirst(h);
                        if (v != null) {
                            req.header(h, v);
                        }
                    }
                    HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                    String body = resp.body().replace(upstream, self);
                    if (ex.getRequestURI().getPath().contains("/logs/")) {
                        String claimed = body.replace("\"app\":\"" + app + "\"", "\"app\":\"victim-app\"");
                        if (!claimed.equals(body)) {
                            rewritten.incrementAndGet();
                        }
                        body = claimed;
                    }
                    byte[] out = body.getBytes(StandardCharsets.UTF_8);
                    resp.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
                    ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
                    ex.getResponseBody().write(out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                } finally {
                    ex.close();
                }
            });
            relay.start();
            try {
                ClientSettings client = ClientSettings.builder().baseUrl(self)
                        .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(EmulatorFixture.CLIENT_ID)
                                .clientSecret(SecretRef.file(f.secretFile.toString())).build())
                        .requestsPerSecond(1000).build();
                BugfenderSource source = BugfenderSource.builder().clientSettings(client).bounded()
                        .from(END.minus(Duration.ofDays(1))).to(END).pageSize(100).build();
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
                env.setParallelism(1);
                List<LogRecord> logs = env.fromSource(source, source.watermarkStrategy(), "bugfender").executeAndCollect(10_000);
                assertThat(rewritten.get()).as("pages the relay rewrote").isPositive();
                assertThat(logs).hasSizeGreaterThan(100);
                assertThat(logs.stream().map(LogRecord::app).distinct().toList()).isEqualTo(List.of(app));
                assertThat(Set.copyOf(logs.stream().map(LogRecord::uuid).toList())).hasSameSizeAs(logs);
            } finally {
                relay.stop(0);
            }
        }
    }
}
