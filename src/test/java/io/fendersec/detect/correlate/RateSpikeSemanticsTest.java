package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/** rate_spike (Fendersec extension): a sliding window's count against the group's own baseline. */
class RateSpikeSemanticsTest {
    static final String RULES = """
            title: Error
            name: err
            detection:
              sel: {log_level: [2, 5]}
              condition: sel
            ---
            title: Spike
            name: spike
            correlation:
              type: rate_spike
              rules: [err]
              group-by: [version.version]
              timespan: 10m
              baseline: 60m
              baseline-min: 20m
              condition: {ratio_gte: 4, min_count: 5}
            """;
    static final RuleSet SET = RuleLoader.create().text("r.yml", RULES).load();
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    int seq;

    LogRecord err(String version, long second) {
        return LogRecord.builder().put("uuid", String.format("u%05d", seq++)).put("app", "app1").put("device.udid", "d1")
                .put("version.version", version).put("log_level", 2L).put("text", "boom")
                .put("time", T0.plusSeconds(second).toString()).build();
    }

    List<LogRecord> errs(String version, long... seconds) {
        List<LogRecord> out = new ArrayList<>();
        for (long s : seconds) {
            out.add(err(version, s));
        }
        return out;
    }

    static List<Alert> run(List<LogRecord> logs) {
        return LocalEvaluator.evaluate(logs, Normalizer.defaults(), SET, DetectionSettings.defaults());
    }

    /** One error every 10 minutes from minute 0 to 50: one per window on average. */
    List<LogRecord> steady(String version) {
        return errs(version, 0, 600, 1200, 1800, 2400, 3000);
    }

    @Test
    void aJumpAboveTheGroupsOwnBaselineAlerts() {
        List<LogRecord> logs = steady("1.0");
        logs.addAll(errs("1.0", 3900, 3901, 3902, 3903, 3904)); // 5 within seconds at minute 65
        List<Alert> alerts = run(logs);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("spike");
        assertThat(a.kind()).isEqualTo("rate_spike");
        assertThat(a.group()).containsExactly(Map.entry("version.version", "1.0"));
        assertThat(a.count()).isEqualTo(5);
        assertThat(a.evidence()).hasSize(5);
        // other versions are other groups: the same five errors on a new version have no baseline
        assertThat(run(errs("2.0", 3900, 3901, 3902, 3903, 3904))).isEmpty();
    }

    @Test
    void aSteadyHighRateIsNotASpike() {
        List<LogRecord> logs = new ArrayList<>();
        for (int m = 0; m < 180; m += 10) {
            for (int k = 0; k < 6; k++) {
                logs.add(err("1.0", m * 60L + k * 30));
            }
        }
        assertThat(run(logs)).isEmpty();
    }

    @Test
    void theRatioMetBelowMinCountIsNoAlert() {
        // a quiet version: one error in an hour, then 4 (a 40x jump, but only 4 errors)
        assertThat(run(errs("1.0", 0, 3900, 3901, 3902, 3903))).isEmpty();
        // the fifth makes it
        assertThat(run(errs("1.0", 0, 3900, 3901, 3902, 3903, 3904))).hasSize(1);
    }

    @Test
    void belowTheRatioIsNoAlert() {
        // baseline 3 per window (18 in the hour before): 10 in a window is only 3.3x
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            logs.add(err("1.0", i * 200L));
        }
        for (int i = 0; i < 10; i++) {
            logs.add(err("1.0", 4200 + i));
        }
        assertThat(run(logs)).isEmpty();
        // 13 is 4.3x
        for (int i = 10; i < 13; i++) {
            logs.add(err("1.0", 4200 + i));
        }
        assertThat(run(logs)).hasSize(1);
    }

    @Test
    void aBaselineShorterThanBaselineMinIsNoAlert() {
        // history starts at 0; the window [t - 10m, t] leaves t - 10m of baseline: 20m needs t >= 30m
        assertThat(run(errs("1.0", 0, 1795, 1796, 1797, 1798, 1799))).as("19m59s of baseline").isEmpty();
        assertThat(run(errs("1.0", 0, 1796, 1797, 1798, 1799, 1800))).as("exactly 20m").hasSize(1);
    }

    @Test
    void bothEndsOfTheWindowCount() {
        // [60:00, 70:00]: the error at exactly 60:00 is in the window (and not in the baseline)
        assertThat(run(errs("1.0", 0, 3600, 3720, 3840, 3960, 4200))).hasSize(1);
        assertThat(run(errs("1.0", 0, 3599, 3720, 3840, 3960, 4200))).isEmpty();
    }

    @Test
    void shuffledInputGivesTheAlertsOfSortedInput() {
        List<LogRecord> logs = steady("1.0");
        logs.addAll(errs("1.0", 3900, 3901, 3902, 3903, 3904, 3950, 4000));
        logs.addAll(errs("2.0", 0, 1800, 3000, 3100, 3101, 3102, 3103, 3104, 3105));
        List<Alert> sorted = run(logs);
        assertThat(sorted).hasSize(2);
        for (long seed = 1; seed <= 5; seed++) {
            List<LogRecord> shuffled = new ArrayList<>(logs);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(run(shuffled)).containsExactlyInAnyOrderElementsOf(sorted);
        }
        // and at the window itself: held hits released in event-time order (as the operator does)
        KeyState a = new KeyState();
        KeyState b = new KeyState();
        CorrelationSpec spec = SET.correlations().get(0).spec();
        List<Hit> hits = new ArrayList<>();
        for (LogRecord r : logs) {
            if ("1.0".equals(r.getString("version.version"))) {
                hits.add(new Hit("spike", "err", "app1", Map.of("version.version", "1.0"), r.time().toEpochMilli(),
                        null, "d1", List.of(r.uuid())));
            }
        }
        List<Hit> shuffled = new ArrayList<>(hits);
        Collections.shuffle(shuffled, new Random(3));
        shuffled.forEach(b::hold);
        List<WindowMatch> ma = new ArrayList<>();
        List<WindowMatch> mb = new ArrayList<>();
        hits.stream().sorted(Hit.ORDER).forEach(h -> ma.addAll(a.window().add(h, spec, 50)));
        b.release(Long.MAX_VALUE).forEach(h -> mb.addAll(b.window().add(h, spec, 50)));
        assertThat(mb).isEqualTo(ma).isNotEmpty();
    }

    @Test
    void historyStartSurvivesPruningAndCheckpoints() throws Exception {
        CorrelationSpec spec = SET.correlations().get(0).spec();
        assertThat(spec.horizonMillis()).isEqualTo(70 * 60_000L);
        KeyState s = new KeyState();
        s.window().add(new Hit("spike", "err", "app1", Map.of("version.version", "1.0"), 1_000, null, "d1",
                List.of("u1")), spec, 50);
        s.window().add(new Hit("spike", "err", "app1", Map.of("version.version", "1.0"), 9_000_000, null, "d1",
                List.of("u2")), spec, 50);
        s.window().prune(5_000_000);
        assertThat(s.window().events()).hasSize(1);
        assertThat(s.window().historyStart()).isEqualTo(1_000);
        DataOutputSerializer out = new DataOutputSerializer(64);
        KeyStateSerializer.INSTANCE.serialize(s, out);
        KeyState back = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.window().historyStart()).isEqualTo(1_000);
        assertThat(back.window().events()).isEqualTo(s.window().events());
        // format 1 (before rate_spike): no marker, no history start; still read
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeInt(0); // pending
        v1.writeInt(1);
        HitSerializer.INSTANCE.serialize(s.window().events().get(0), v1);
        v1.writeInt(0); // episodes
        KeyState old = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(v1.getCopyOfBuffer()));
        assertThat(old.window().historyStart()).isEqualTo(9_000_000);
    }

    @Test
    void badRateSpikesFailAtLoad() {
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", RULES.replace("  baseline: 60m\n", "")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("baseline");
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", RULES.replace("ratio_gte: 4, ", "")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("ratio_gte");
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", RULES.replace("baseline-min: 20m", "baseline-min: 2h"))
                .load()).isInstanceOf(ConfigException.class).hasMessageContaining("baseline-min");
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", RULES.replace("min_count", "gte")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("gte");
        assertThatThrownBy(() -> RuleLoader.create().text("r.yml", RULES.replace("rate_spike", "event_count")
                .replace("{ratio_gte: 4, min_count: 5}", "{gte: 5}")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("only applies to rate_spike");
    }

    @Test
    void thresholdOverridesMinCount() {
        RuleSet s = RuleLoader.create().text("r.yml", RULES)
                .overrides(Map.of("spike", Map.<String, Object>of("threshold", 6))).load();
        assertThat(LocalEvaluator.evaluate(errs("1.0", 0, 3900, 3901, 3902, 3903, 3904), Normalizer.defaults(), s,
                DetectionSettings.defaults())).isEmpty();
    }
}
