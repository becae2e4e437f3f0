package io.fendersec.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fendersec.model.Alert;

/** Alerts for report tests: built through the real builder, ids from {@link Alert#idFor}. */
final class ReportFixtures {
    /** A value from logs that tries to break out of the data block and run script. */
    static final String HOSTILE = "</script><script>document.title='pwned'</script><img src=x onerror=alert(1)><!--";

    private ReportFixtures() {}

    static Alert alert(String rule, String severity, String app, String device, Map<String, String> group, Instant firstSeen,
            long count) {
        return Alert.builder().alertId(Alert.idFor(rule, app, group, firstSeen.toEpochMilli())).ruleId(rule)
                .title(rule.replace('-', ' ')).severity(severity).kind(count > 1 ? "event_count" : "detection").app(app)
                .group(group).window(firstSeen.toEpochMilli(), firstSeen.plusSeconds(300).toEpochMilli())
                .seen(firstSeen.toEpochMilli(), firstSeen.plusSeconds(120).toEpochMilli()).count(count)
                .evidence(evidence(count)).device(device).build();
    }

    static List<String> evidence(long n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, 50); i++) {
            out.add("log-" + i);
        }
        return out;
    }

    /**
     * A day and a half of alerts from three rules over three apps, one with hostile group and
     * device values: 12 alerts in 11 distinct (rule, hour) cells.
     */
    static List<Alert> demo() {
        Instant t0 = Instant.parse("2026-03-01T09:10:00Z");
        List<Alert> a = new ArrayList<>();
        a.add(alert("brute-force", "high", "app-1", "d1", Map.of("source.ip", "203.0.113.9"), t0, 7));
        a.add(alert("brute-force", "high", "app-1", "d2", Map.of("source.ip", "203.0.113.10"), t0.plusSeconds(600), 5));
        a.add(alert("brute-force", "high", "app-2", null, Map.of("source.ip", "198.51.100.7"), t0.plusSeconds(3 * 3600), 12));
        a.add(alert("jailbreak-detected", "critical", "app-2", "d3", Map.of(), t0.plusSeconds(3600), 1));
        a.add(alert("jailbreak-detected", "critical", "app-3", "d4", Map.of(), t0.plusSeconds(10 * 3600), 1));
        a.add(alert("token-reuse", "medium", "app-1", "d1", Map.of("user.id", "bob"), t0.plusSeconds(5 * 3600), 2));
        a.add(alert("token-reuse", "medium", "app-1", "d1", Map.of("user.id", "alice"), t0.plusSeconds(20 * 3600), 3));
        a.add(alert("token-reuse", "medium", "app-3", HOSTILE, Map.of("user.id", HOSTILE), t0.plusSeconds(26 * 3600), 4));
        a.add(alert("brute-force", "high", "app-1", "d5", Map.of("source.ip", "203.0.113.11"), t0.plusSeconds(30 * 3600), 9));
        a.add(alert("brute-force", "high", "app-1", "d5", Map.of("source.ip", "203.0.113.12"), t0.plusSeconds(30 * 3600 + 60), 6));
        a.add(alert("jailbreak-detected", "critical", "app-1", "d6", Map.of(), t0.plusSeconds(33 * 3600), 1));
        a.add(alert("token-reuse", "low", "app-2", "d3", Map.of("user.id", "carol"), t0.plusSeconds(35 * 3600), 2));
        return a;
    }
}
