package io.fendersec.detect.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.model.LogRecord;

/** Rules and a small day of logs with known attacks, shared by operator and MiniCluster tests. */
final class DetectionFixtures {
    static final String RULES = """
            title: Failed login
            name: failed-login
            detection:
              sel: {event.action: login, event.outcome: failure}
              condition: sel
            ---
            title: Successful login
            name: login-ok
            detection:
              sel: {event.action: login, event.outcome: success}
              condition: sel
            ---
            title: Brute force
            name: brute-force
            level: high
            correlation:
              type: event_count
              rules: [failed-login]
              group-by: [source.ip]
              timespan: 5m
              condition: {gte: 5}
            ---
            title: Brute force then success
            name: brute-force-success
            level: critical
            correlation:
              type: temporal_ordered
              rules: [brute-force, login-ok]
              group-by: [source.ip]
              timespan: 30m
            generate: true
            ---
            title: Rooted device
            name: root-detected
            level: medium
            detection:
              sel: {device.integrity|exists: true}
              condition: sel
            """;

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static RuleSet rules() {
        return RuleLoader.create().text("fixtures.yml", RULES).load();
    }

    /** Logs in event-time order. */
    static List<LogRecord> logs() {
        List<LogRecord> out = new ArrayList<>();
        Random rnd = new Random(42);
        int[] n = {0};
        // benign traffic over 3 hours
        for (int i = 0; i < 500; i++) {
            out.add(log(n, rnd.nextInt(3 * 3600), "dev-" + rnd.nextInt(20), "screen opened: Home"));
        }
        // attacks: 8 failures within 2 minutes from three addresses
        attack(out, n, "203.0.113.9", 600, 8, 15);
        attack(out, n, "198.51.100.7", 4000, 8, 10);
        // straddles 11:00 (3 at 10:59, 3 at 11:01)
        attack(out, n, "192.0.2.44", 3540, 3, 5);
        attack(out, n, "192.0.2.44", 3660, 3, 5);
        // not enough: 4 failures
        attack(out, n, "192.0.2.200", 7000, 4, 10);
        // success after the first brute force
        out.add(log(n, 900, "dev-attacker", "login succeeded for bob from 203.0.113.9"));
        // rooted devices: one device reporting repeatedly (one episode), another once
        for (int i = 0; i < 5; i++) {
            out.add(log(n, 2000 + i * 60, "dev-rooted-1", "Magisk detected, device is rooted"));
        }
        out.add(log(n, 9000, "dev-rooted-2", "jailbreak detected (Cydia)"));
        out.sort(Comparator.comparing(LogRecord::time).thenComparing(LogRecord::uuid));
        return out;
    }

    private static void attack(List<LogRecord> out, int[] n, String ip, int start, int count, int step) {
        for (int i = 0; i < count; i++) {
            out.add(log(n, start + i * step, "dev-attacker", "login failed for bob from " + ip));
        }
    }

    static LogRecord log(int[] n, int second, String device, String text) {
        return LogRecord.builder().put("uuid", String.format("log-%05d", n[0]++)).put("app", "app-1")
                .put("device.udid", device).put("time", T0.plusSeconds(second).toString())
                .put("absolute_time", (long) second * 1000).put("log_level", 4).put("text", text).build();
    }

    /** Arrival order with every log at most {@code maxDelaySeconds} behind its event time. */
    static List<LogRecord> shuffled(List<LogRecord> logs, int maxDelaySeconds, long seed) {
        Random rnd = new Random(seed);
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            keyed.add(new long[] {logs.get(i).time().getEpochSecond() + rnd.nextInt(maxDelaySeconds + 1), i});
        }
        keyed.sort(Comparator.comparingLong((long[] k) -> k[0]).thenComparingLong(k -> k[1]));
        List<LogRecord> out = new ArrayList<>();
        for (long[] k : keyed) {
            out.add(logs.get((int) k[1]));
        }
        return out;
    }
}
