package io.fendersec.detect.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.model.Alert;
import io.fendersec.model.LabelMatcher;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.model.AlertJson;

/**
 * The whole built-in pack against the emulator with every attack, over two days at 50,000 logs a
 * day: every label found, no alert outside the labels. Runs the same matcher and correlation code
 * as the job, locally (no cluster), so it is part of {@code mvn verify}.
 */
class BuiltinPackEmulatorTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void theWholePackFindsEveryAttackAndNothingElse() {
        Dataset d = new DatasetGenerator(Long.getLong("fendersec.packSeed", 42), 3, 2, END, 50_000, ArrivalDelays.defaults(),
                Scenarios.byName("all").orElseThrow()).generate();
        List<LogRecord> logs = new ArrayList<>();
        Map<String, LogRecord> byUuid = new HashMap<>();
        for (GeneratedApp app : d.apps()) {
            for (GeneratedLog l : d.logs(app.id())) {
                logs.add(l.record());
                byUuid.put(l.record().uuid(), l.record());
            }
        }
        RuleSet pack = RuleLoader.builtin();
        List<Alert> alerts = LocalEvaluator.evaluate(logs, Normalizer.defaults(), pack, DetectionSettings.defaults());

        // Every label, error-spike included: every scenario has a rule of its name in the pack.
        List<ScenarioLabel> labels = d.labels();
        assertThat(labels).allSatisfy(l -> assertThat(pack.rule(l.ruleId())).as(l.ruleId()).isNotNull());
        assertThat(labels).extracting(ScenarioLabel::ruleId).contains("error-spike");
        LabelMatcher.Result r = LabelMatcher.match(alerts, labels);
        assertThat(r.missed()).as(r.summary()).isEmpty();
        assertThat(r.unexpected()).as(r.summary()).isEmpty();
        assertThat(r.recall()).isEqualTo(1.0);
        assertThat(labels).hasSizeGreaterThanOrEqualTo(29);
        // one alert per label: no episode split in two
        assertThat(alerts).hasSameSizeAs(labels);

        // secret-in-log alerts say what and where, never the secret itself
        for (Alert a : alerts) {
            if (!a.ruleId().equals("secret-in-log")) {
                continue;
            }
            assertThat(a.group()).containsKeys("device.udid", "secret.kind", "version.version", "file", "line");
            String json = AlertJson.toNode(a).toString();
            for (String uuid : a.evidence()) {
                LogRecord leaked = byUuid.get(uuid);
                for (String token : (leaked.text() + " " + leaked.getString("key_value_value")).split("[\\s\"{}:,=]+")) {
                    // secrets carry digits or are long; plain words ("password", "Configuring") are not secrets
                    boolean secretLike = token.length() >= 8 && (token.matches(".*\\d.*") || token.length() >= 16);
                    if (secretLike && !token.contains(".") && !token.equals(a.group().get("file"))) {
                        assertThat(json).as("alert must not copy '%s'", token).doesNotContain(token);
                    }
                }
            }
        }
    }
}
