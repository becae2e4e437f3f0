package io.fendersec.detect.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * The built-in rule {@code device-clock-skew} and the clock bound in local evaluation (issue #13):
 * logs are evaluated at a moment they were fetched before, so a device time past that moment plus
 * the skew is forged or broken, and is evaluated at the bound.
 */
class DeviceClockSkewRuleTest {
    private static final RuleSet PACK = RuleLoader.builtin();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private int seq;

    private LogRecord log(String device, Instant time, String text) {
        seq++;
        return LogRecord.builder().put("uuid", "u" + seq).put("app", "app1").put("device.udid", device)
                .put("time", time.toString()).put("absolute_time", (long) seq).put("text", text).build();
    }

    private List<Alert> run(List<LogRecord> logs) {
        return new LocalEvaluator(Normalizer.defaults(), PACK, DetectionSettings.defaults(),
                Clock.fixed(NOW, ZoneOffset.UTC)).evaluate(logs);
    }

    @Test
    void isInThePackAndReportsADeviceDatingItsLogsPastTheBound() {
        assertThat(PACK.rule("device-clock-skew")).isNotNull();
        List<Alert> alerts = run(List.of(
                log("forger", Instant.parse("2099-01-01T00:00:00Z"), "Screen shown: home"),
                log("forger", Instant.parse("2099-01-01T00:00:05Z"), "Screen shown: settings"),
                log("honest", NOW.minusSeconds(30), "Screen shown: home")));
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("device-clock-skew");
        Alert a = alerts.get(0);
        assertThat(a.group()).containsEntry("device.udid", "forger");
        assertThat(a.severity()).isEqualTo("medium");
        assertThat(a.evidence()).as("one alert per episode, at its first log").containsExactly("u1");
        assertThat(a.lastSeen()).as("analyzed at the bound, not in 2099")
                .isEqualTo(NOW.plus(LocalEvaluator.MAX_CLOCK_SKEW));
    }

    @Test
    void aClockWithinTheSkewIsNotReported() {
        assertThat(run(List.of(log("fast", NOW.plus(Duration.ofMinutes(4)), "Screen shown: home")))).isEmpty();
    }

    @Test
    void aForgedLogDoesNotBlindABruteForceFromAnotherDevice() {
        List<LogRecord> logs = new ArrayList<>();
        logs.add(log("forger", Instant.parse("2099-01-01T00:00:00Z"), "Screen shown: home"));
        for (int i = 0; i < 12; i++) {
            logs.add(log("attacker", NOW.minus(Duration.ofMinutes(6)).plusSeconds(12L * i),
                    "Login failed for bob@example.com"));
        }
        assertThat(run(logs)).extracting(Alert::ruleId).contains("brute-force", "device-clock-skew");
    }
}
