package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Alerts against labels: rule, app, group or shared evidence, overlapping time. */
class LabelMatcherTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    static ScenarioLabel label(String rule, Map<String, String> group, int fromMin, int toMin, String... uuids) {
        return new ScenarioLabel("s", rule, "app1", group, T.plusSeconds(fromMin * 60L), T.plusSeconds(toMin * 60L), List.of(uuids));
    }

    static Alert alert(String rule, String app, Map<String, String> group, int fromMin, int toMin, String... uuids) {
        long a = T.plusSeconds(fromMin * 60L).toEpochMilli();
        long b = T.plusSeconds(toMin * 60L).toEpochMilli();
        return Alert.builder().alertId(Alert.idFor(rule, app, group, a)).ruleId(rule).title(rule).app(app).group(group)
                .window(a, b).seen(a, b).count(1).evidence(List.of(uuids)).build();
    }

    @Test
    void groupOrSharedEvidenceWithOverlappingTimeFindsALabel() {
        ScenarioLabel bf = label("brute-force", Map.of("device.udid", "d1"), 0, 5, "u1", "u2");
        ScenarioLabel root = label("root-jailbreak", Map.of("device.udid", "d2"), 30, 31, "u9");
        ScenarioLabel missed = label("impossible-travel", Map.of("user.name", "ana"), 60, 90, "u20");
        List<Alert> alerts = List.of(
                alert("brute-force", "app1", Map.of("device.udid", "d1"), 3, 8, "u2"),            // same group
                alert("root-jailbreak", "app1", Map.of("device.udid", "other"), 30, 30, "u9"),    // shared evidence
                alert("brute-force", "app2", Map.of("device.udid", "d1"), 3, 8, "u2"),            // other app
                alert("brute-force", "app1", Map.of("device.udid", "d1"), 6, 9, "u3"),            // after the label
                alert("credential-stuffing", "app1", Map.of("device.udid", "d1"), 0, 5, "u1"));   // other rule
        LabelMatcher.Result r = LabelMatcher.match(alerts, List.of(bf, root, missed));
        assertThat(r.found()).containsExactly(bf, root);
        assertThat(r.missed()).containsExactly(missed);
        assertThat(r.unexpected()).containsExactly(alerts.get(2), alerts.get(3), alerts.get(4));
        assertThat(r.recall()).isEqualTo(2.0 / 3);
        assertThat(r.summary()).isEqualTo("recall 0.667 (2/3), 3 false alerts");
    }

    @Test
    void labelsRoundTripAsJsonLines() throws Exception {
        ScenarioLabel l = label("brute-force", Map.of("device.udid", "d1"), 0, 5, "u1", "u2");
        String json = ScenarioLabels.toJson(l);
        assertThat(json).isEqualTo("{\"scenario\":\"s\",\"rule_id\":\"brute-force\",\"app\":\"app1\",\"group\":{\"device.udid\":\"d1\"},"
                + "\"start\":\"2026-03-01T10:00:00Z\",\"end\":\"2026-03-01T10:05:00Z\",\"evidence\":[\"u1\",\"u2\"]}");
        assertThat(ScenarioLabels.fromJson(json)).isEqualTo(l);
        assertThat(LabelMatcher.match(List.of(), List.of()).recall()).isEqualTo(1.0);
    }
}
