package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/** Correlation semantics without Flink: sliding windows, episodes, chaining, aliases, generate, overrides. */
class CorrelationSemanticsTest {
    static final String FAILED = """
            title: Failed login
            name: failed-login
            detection:
              sel: {text|contains: 'login failed'}
              condition: sel
            """;
    static final String BRUTE = FAILED + """
            ---
            title: Brute force
            name: brute-force
            level: high
            tags: [attack.t1110]
            correlation:
              type: event_count
              rules: [failed-login]
              group-by: [source.ip]
              timespan: 5m
              condition: {gte: 5}
            """;

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static int seq;

    static LogRecord log(String time, String text, Object... kv) {
        LogRecord.Builder b = LogRecord.builder().put("uuid", "u" + (seq++)).put("app", "app1")
                .put("device.udid", "d1").put("time", time).put("text", text);
        for (int i = 0; i < kv.length; i += 2) {
            b.put((String) kv[i], kv[i + 1]);
        }
        return b.build();
    }

    static String at(int minute, int second) {
        return T0.plusSeconds(minute * 60L + second).toString();
    }

    static List<Alert> run(String rules, List<LogRecord> logs) {
        return run(RuleLoader.create().text("rules.yml", rules).load(), logs, DetectionSettings.defaults());
    }

    static List<Alert> run(RuleSet rules, List<LogRecord> logs, DetectionSettings s) {
        return LocalEvaluator.evaluate(logs, Normalizer.defaults(), rules, s);
    }

    static List<LogRecord> failures(String ip, int... secondsAfterT0) {
        List<LogRecord> out = new ArrayList<>();
        for (int s : secondsAfterT0) {
            out.add(log(at(0, s), "login failed for bob from " + ip));
        }
        return out;
    }

    @Test
    void anAttackAcrossAClockBoundaryIsFound() {
        // 3 failures at 10:59 and 3 at 11:01: no 5-minute bucket holds 5, a sliding window does.
        List<LogRecord> logs = new ArrayList<>();
        for (int s : new int[] {3540, 3545, 3550, 3660, 3665, 3670}) {
            logs.add(log(T0.plusSeconds(s).toString(), "login failed from 203.0.113.9"));
        }
        List<Alert> alerts = run(BRUTE, logs);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("brute-force");
        assertThat(a.group()).containsExactly(Map.entry("source.ip", "203.0.113.9"));
        assertThat(a.count()).isEqualTo(5);
        assertThat(a.firstSeen()).isEqualTo(T0.plusSeconds(3540));
        assertThat(a.lastSeen()).isEqualTo(T0.plusSeconds(3665));
        assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(3665));
        assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(3665 - 300));
        assertThat(a.severity()).isEqualTo("high");
        assertThat(a.tags()).containsExactly("attack.t1110");
        assertThat(a.device()).isEqualTo("d1");
        assertThat(a.evidence()).hasSize(5);
    }

    @Test
    void eventsFurtherApartThanTheTimespanDoNotCorrelate() {
        // five failures, but every 5-minute span holds at most 4
        assertThat(run(BRUTE, failures("203.0.113.9", 0, 1, 2, 3, 301))).isEmpty();
        // exactly at the edge: [t-5m, t] includes both ends
        assertThat(run(BRUTE, failures("203.0.113.9", 0, 1, 2, 3, 300))).hasSize(1);
    }

    @Test
    void groupsAreSeparate() {
        List<LogRecord> logs = new ArrayList<>(failures("203.0.113.9", 0, 1, 2));
        logs.addAll(failures("198.51.100.7", 3, 4));
        assertThat(run(BRUTE, logs)).isEmpty();
    }

    @Test
    void oneAttackIsOneAlertAndAQuietPeriodEndsTheEpisode() {
        int[] attack = new int[40];
        for (int i = 0; i < attack.length; i++) {
            attack[i] = i * 10; // 40 failures over 6.5 minutes
        }
        List<LogRecord> logs = new ArrayList<>(failures("203.0.113.9", attack));
        assertThat(run(BRUTE, logs)).hasSize(1);
        // The same again 2 hours later (after the 1h suppression): a second episode, another id.
        int[] later = new int[6];
        for (int i = 0; i < later.length; i++) {
            later[i] = 7200 + i;
        }
        logs.addAll(failures("203.0.113.9", later));
        List<Alert> alerts = run(BRUTE, logs);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).alertId()).isNotEqualTo(alerts.get(1).alertId());
    }

    @Test
    void alertIdsAreDeterministicAndUpdatesKeepThem() {
        List<LogRecord> logs = failures("203.0.113.9", 0, 1, 2, 3, 4, 5, 6);
        String id = run(BRUTE, logs).get(0).alertId();
        assertThat(run(BRUTE, logs).get(0).alertId()).isEqualTo(id);
        List<Alert> updates = run(RuleLoader.create().text("r", BRUTE).load(), logs,
                DetectionSettings.defaults().withEmitUpdates(true));
        assertThat(updates).hasSize(3); // opened at the 5th, grown by the 6th and 7th
        assertThat(updates).extracting(Alert::alertId).containsOnly(id);
        assertThat(updates.get(2).evidence()).hasSize(7);
    }

    @Test
    void valueCountCountsDistinctValues() {
        String rules = FAILED + """
                ---
                title: Credential stuffing
                name: stuffing
                correlation:
                  type: value_count
                  rules: [failed-login]
                  group-by: [source.ip]
                  timespan: 10m
                  condition: {field: user.name, gte: 3}
                """;
        List<LogRecord> same = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            same.add(log(at(0, i), "login failed user=bob from 203.0.113.9"));
        }
        assertThat(run(rules, same)).isEmpty();
        List<LogRecord> many = new ArrayList<>();
        for (String u : new String[] {"ann", "bob", "ann", "cid"}) {
            many.add(log(at(1, many.size()), "login failed user=" + u + " from 203.0.113.9"));
        }
        List<Alert> alerts = run(rules, many);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).count()).isEqualTo(3);
    }

    static final String TWO_RULES = """
            title: Pinning failure
            name: pinning
            detection:
              sel: {text|contains: 'pinning failed'}
              condition: sel
            ---
            title: Root
            name: root
            detection:
              sel: {text|contains: 'rooted'}
              condition: sel
            """;

    @Test
    void temporalNeedsEveryRuleInAnyOrder() {
        String rules = TWO_RULES + """
                ---
                title: Rooted and pinning
                name: both
                correlation:
                  type: temporal
                  rules: [pinning, root]
                  group-by: [device.udid]
                  timespan: 10m
                """;
        assertThat(run(rules, List.of(log(at(0, 0), "device rooted"), log(at(1, 0), "pinning failed"))))
                .hasSize(1);
        assertThat(run(rules, List.of(log(at(0, 0), "pinning failed"), log(at(1, 0), "device rooted"))))
                .hasSize(1);
        assertThat(run(rules, List.of(log(at(0, 0), "pinning failed"), log(at(11, 0), "device rooted"))))
                .isEmpty();
        assertThat(run(rules, List.of(log(at(0, 0), "pinning failed"), log(at(1, 0), "pinning failed"))))
                .isEmpty();
    }

    @Test
    void temporalOrderedNeedsTheOrder() {
        String rules = TWO_RULES + """
                ---
                title: Root then pinning
                name: ordered
                correlation:
                  type: temporal_ordered
                  rules: [root, pinning]
                  group-by: [device.udid]
                  timespan: 10m
                """;
        assertThat(run(rules, List.of(log(at(0, 0), "device rooted"), log(at(1, 0), "pinning failed"))))
                .hasSize(1);
        assertThat(run(rules, List.of(log(at(0, 0), "pinning failed"), log(at(1, 0), "device rooted"))))
                .isEmpty();
    }

    @Test
    void generateDecidesWhetherReferencedRulesAlertOnTheirOwn() {
        List<LogRecord> logs = failures("203.0.113.9", 0, 1, 2, 3, 4);
        assertThat(run(BRUTE, logs)).extracting(Alert::ruleId).containsExactly("brute-force");
        List<Alert> withGenerate = run(BRUTE.replace("level: high", "level: high\ngenerate: true"), logs);
        // failed-login alerts once (one episode for device d1), brute-force once
        assertThat(withGenerate).extracting(Alert::ruleId).containsExactlyInAnyOrder("failed-login", "brute-force");
        Alert single = withGenerate.stream().filter(a -> a.ruleId().equals("failed-login")).findFirst().orElseThrow();
        assertThat(single.group()).containsExactly(Map.entry("device.udid", "d1"));
        assertThat(single.kind()).isEqualTo("detection");
    }

    @Test
    void chainedCorrelationBruteForceThenSuccess() {
        String rules = BRUTE + """
                ---
                title: Successful login
                name: login-ok
                detection:
                  sel: {text|contains: 'login succeeded'}
                  condition: sel
                ---
                title: Brute force then success
                name: brute-force-success
                level: critical
                correlation:
                  type: temporal_ordered
                  rules: [brute-force, login-ok]
                  group-by: [source.ip]
                  timespan: 30m
                """;
        List<LogRecord> logs = new ArrayList<>(failures("203.0.113.9", 0, 10, 20, 30, 40, 50));
        logs.add(log(at(5, 0), "login succeeded for bob from 203.0.113.9"));
        List<Alert> alerts = run(rules, logs);
        // brute-force is used by a correlation without generate: only the chain alerts
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("brute-force-success");
        assertThat(alerts.get(0).severity()).isEqualTo("critical");
        assertThat(alerts.get(0).evidence()).hasSize(6); // the five failures behind brute-force + the success
        // success before the brute force does not count
        List<LogRecord> wrongOrder = new ArrayList<>(failures("203.0.113.9", 60, 70, 80, 90, 100));
        wrongOrder.add(log(at(0, 0), "login succeeded for bob from 203.0.113.9"));
        assertThat(run(rules, wrongOrder)).isEmpty();
    }

    @Test
    void aliasesJoinDifferentFieldNames() {
        String rules = """
                title: Server error for a client
                name: server-error
                detection:
                  sel: {text|contains: 'HTTP 500'}
                  condition: sel
                ---
                title: Client connected
                name: connected
                detection:
                  sel: {text|contains: 'connected'}
                  condition: sel
                ---
                title: Same address
                name: same-address
                correlation:
                  type: temporal
                  rules: [server-error, connected]
                  group-by: [addr]
                  timespan: 1m
                  aliases:
                    addr:
                      server-error: client_ip
                      connected: source.ip
                """;
        List<LogRecord> logs = List.of(
                log(at(0, 0), "HTTP 500 returned", "key_value_key", "client_ip", "key_value_value", "10.0.0.5"),
                log(at(0, 10), "connected from 10.0.0.5"));
        List<Alert> alerts = run(rules, logs);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).group()).containsExactly(Map.entry("addr", "10.0.0.5"));
        List<LogRecord> other = List.of(
                log(at(0, 0), "HTTP 500 returned", "key_value_key", "client_ip", "key_value_value", "10.0.0.6"),
                log(at(0, 10), "connected from 10.0.0.5"));
        assertThat(run(rules, other)).isEmpty();
    }

    @Test
    void rangeAndUpperBoundConditions() {
        String range = BRUTE.replace("condition: {gte: 5}", "condition: {gt: 2, lte: 3}");
        List<Alert> alerts = run(range, failures("203.0.113.9", 0, 1, 2, 3, 4));
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).count()).isEqualTo(3);
        assertThat(run(BRUTE.replace("condition: {gte: 5}", "condition: {eq: 4}"), failures("1.2.3.4", 0, 1, 2)))
                .isEmpty();
    }

    @Test
    void overridesReplaceThresholdAndTimespan() {
        List<LogRecord> logs = failures("203.0.113.9", 0, 100, 200, 400);
        RuleSet base = RuleLoader.create().text("r", BRUTE).load();
        assertThat(run(base, logs, DetectionSettings.defaults())).isEmpty();
        RuleSet loose = RuleLoader.create().text("r", BRUTE)
                .overrides(Map.of("brute-force", Map.of("threshold", 4, "timespan", "10m"))).load();
        assertThat(run(loose, logs, DetectionSettings.defaults())).hasSize(1);
        assertThatThrownBy(() -> RuleLoader.create().text("r", BRUTE)
                .overrides(Map.of("nope", Map.of("threshold", 4))).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> RuleLoader.create().text("r", BRUTE)
                .overrides(Map.of("brute-force", Map.of("limit", 4))).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("limit");
    }

    @Test
    void badCorrelationsFailAtLoadWithFileAndLine() {
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", BRUTE.replace("event_count", "event_sum")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("r.yml:12").hasMessageContaining("event_sum");
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", BRUTE.replace("[failed-login]", "[nope]")).load())
                .hasMessageContaining("r.yml:13").hasMessageContaining("nope");
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", BRUTE.replace("timespan: 5m", "timespan: 5x")).load())
                .hasMessageContaining("r.yml:15");
    }

    @Test
    void suppressionIsPerGroup() {
        List<LogRecord> logs = new ArrayList<>(failures("203.0.113.9", 0, 1, 2, 3, 4));
        logs.addAll(failures("198.51.100.7", 5, 6, 7, 8, 9));
        assertThat(run(BRUTE, logs)).extracting(a -> a.group().get("source.ip"))
                .containsExactlyInAnyOrder("203.0.113.9", "198.51.100.7");
        assertThat(run(RuleLoader.create().text("r", BRUTE).load(), logs,
                new DetectionSettings(Duration.ZERO, Duration.ZERO))).hasSize(2);
    }
}
