package io.fendersec.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.model.LogRecord;

/**
 * Issue 26's attack hour, served by an emulator in its own JVM: one app, {@code logs} failed
 * sign-ins {@code Login failed for userN@example.com from 10.x.y.z} spread evenly over one hour,
 * with {@code accounts} distinct accounts and addresses (every log its own when equal to
 * {@code logs}: a credential-stuffing list) from {@code devices} devices. Prints the base URL,
 * then serves until killed. See docs/benchmarks.md, "Attack-scale keys".
 *
 * <pre>
 * java -Xmx3g -cp target/classes:target/test-classes:$(cat target/cp.txt) io.fendersec.bench.StuffingEmulator \
 *   PORT LOGS ACCOUNTS DEVICES [HOUR_START]   # e.g. 18090 1000000 1000000 50000 2026-11-27T10:00:00Z
 * </pre>
 * The client is {@code bench} with secret {@code bench-secret}; the app id is {@code stuffed}.
 */
public final class StuffingEmulator {
    private StuffingEmulator() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long logs = Long.parseLong(args[1]);
        long accounts = Long.parseLong(args[2]);
        long devices = Long.parseLong(args[3]);
        Instant start = Instant.parse(args.length > 4 ? args[4] : "2026-11-27T10:00:00Z");
        BugfenderEmulator emulator = BugfenderEmulator.builder().port(port).apps(0).logsPerDay(0)
                .liveRate(0).clientSecret("bench", "bench-secret", List.of()).start();
        emulator.addApp("stuffed", "Stuffed");
        long stepMicros = 3_600_000_000L / logs;
        List<LogRecord> batch = new ArrayList<>(100_000);
        for (long i = 0; i < logs; i++) {
            long k = i % accounts;
            String ip = "10." + ((k >> 16) & 255) + "." + ((k >> 8) & 255) + "." + (k & 255);
            Instant t = start.plusNanos(i * stepMicros * 1000);
            batch.add(LogRecord.builder().put("uuid", "s-" + i).put("app", "stuffed")
                    .put("device.udid", "dev-" + (i % devices)).put("time", t.toString()).put("absolute_time", i)
                    .put("log_level", 2L).put("text", "Login failed for user" + k + "@example.com from " + ip).build());
            if (batch.size() == 100_000) {
                emulator.append("stuffed", batch);
                batch = new ArrayList<>(100_000);
            }
        }
        if (!batch.isEmpty()) {
            emulator.append("stuffed", batch);
        }
        System.out.println(emulator.baseUrl());
        System.out.flush();
        emulator.awaitClose();
    }
}
