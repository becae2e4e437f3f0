package io.fendersec.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.fendersec.emulator.BugfenderEmulator;

/**
 * How fast the emulator serves logs as paginated JSON (page size 1000): readers walk the whole
 * snapshot by {@code next} links, over and over, and count the logs they parsed. Outside
 * {@code mvn verify}; see docs/benchmarks.md for how to run it and the numbers measured.
 *
 * <p>Arguments: [readers=2] [seconds=20] [logsPerDay=100000].
 */
public final class EmulatorBench {
    public static void main(String[] args) throws Exception {
        int readers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long logsPerDay = args.length > 2 ? Long.parseLong(args[2]) : 100_000;
        long t0 = System.nanoTime();
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(42).apps(1).days(2)
                .end(Instant.parse("2026-11-28T00:00:00Z")).logsPerDay(logsPerDay)
                .clientSecret("bench", "bench", List.of()).start()) {
            System.out.printf("generated and stored %,d logs in %.1f s%n", 2 * logsPerDay, (System.nanoTime() - t0) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            String form = "grant_type=client_credentials&client_id=bench&client_secret=bench";
            HttpResponse<String> t = http.send(HttpRequest.newBuilder(URI.create(emu.tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = t.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            String first = emu.baseUrl() + "/api/app/" + emu.apps().get(0).id() + "/logs/paginated?date_range_start="
                    + URLEncoder.encode("2026-11-26T00:00:00Z", StandardCharsets.UTF_8) + "&page_size=1000";

            AtomicLong logs = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            // Warm-up: one full walk, so the JIT has compiled the serving path.
            walk(http, token, first, new AtomicLong(), new AtomicLong(), Long.MAX_VALUE);
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            Thread[] threads = new Thread[readers];
            for (int i = 0; i < readers; i++) {
                threads[i] = new Thread(() -> {
                    try {
                        while (System.nanoTime() < deadline) {
                            walk(http, token, first, logs, bytes, deadline);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                threads[i].start();
            }
            for (Thread th : threads) {
                th.join();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("readers=%d page_size=1000: %,d logs in %.1f s = %,.0f logs/s (%.1f MB/s of JSON)%n",
                    readers, logs.get(), secs, logs.get() / secs, bytes.get() / secs / 1e6);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** Follows next links from {@code url} to the oldest page, counting the logs parsed. */
    private static void walk(HttpClient http, String token, String url, AtomicLong logs, AtomicLong bytes, long deadline)
            throws Exception {
        while (url != null && System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode());
            }
            bytes.addAndGet(r.body().length);
            String next = null;
            int count = 0;
            try (JsonParser p = JSON.createParser(r.body())) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("data")) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            p.skipChildren();
                            count++;
                        }
                    } else if (name.equals("next")) {
                        next = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
                    }
                }
            }
            logs.addAndGet(count);
            url = next;
        }
    }
}
