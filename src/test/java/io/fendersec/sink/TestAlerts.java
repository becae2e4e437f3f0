package io.fendersec.sink;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fendersec.model.Alert;

/** Alerts for sink tests. */
final class TestAlerts {
    static final long T0 = Instant.parse("2026-03-01T10:56:05Z").toEpochMilli();

    private TestAlerts() {}

    /** Alert number {@code n}, in its {@code version}-th emission (later versions: more evidence, later last_seen). */
    static Alert alert(int n, int version) {
        Map<String, String> group = Map.of("source.ip", "203.0.113." + (n % 250));
        long start = T0 + n * 60_000L;
        return Alert.builder().alertId(Alert.idFor("brute-force", "app-1", group, start)).ruleId("brute-force")
                .kind("event_count").title("Brute force <login>").severity(n % 2 == 0 ? "high" : "medium").app("app-1")
                .group(group).window(start, start + 300_000).seen(start + 1000, start + 1000 + version * 1000L)
                .count(4 + version).evidence(List.of("uuid-" + n + "-a", "uuid-" + n + "-" + version))
                .device(n % 3 == 0 ? null : "device-" + n).tags(List.of("attack.t1110")).references(List.of())
                .build();
    }
}
