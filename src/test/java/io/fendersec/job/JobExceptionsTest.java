package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;

/**
 * A bounded job on a MiniCluster, over the emulator's brute-force scenario, with a
 * {@code rules.exceptions} file: the excepted account's brute force does not alert, the other one
 * does (its exception has expired), and the run's summary counts the dropped matches, exactly as
 * many as the same rules drop over the same logs locally.
 */
class JobExceptionsTest {
    private static final Instant END = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void aBoundedJobDropsTheExceptedAlertsAndCountsTheDroppedMatches(@TempDir Path dir) throws Exception {
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(11).apps(1).days(1).end(END).logsPerDay(3_000)
                .scenario("brute-force").clientSecret("cs-ex", "s3cret", List.of()).start()) {
            List<ScenarioLabel> labels = emu.labels().stream().filter(l -> l.ruleId().equals("brute-force")).toList();
            assertThat(labels).hasSize(2);
            String excepted = labels.get(0).group().get("user.name");
            String other = labels.get(1).group().get("user.name");
            assertThat(excepted).isNotEqualTo(other);

            Files.writeString(dir.resolve("secret"), "s3cret");
            Files.writeString(dir.resolve("exceptions.yml"), """
                    exceptions:
                      - id: ex-qa
                        rule: brute-force
                        field: user.name
                        values: ['%s']
                        reason: the QA team's load test
                      - id: ex-old
                        rule: brute-force
                        field: user.name
                        values: ['%s']
                        expires: 2020-01-31
                    """.formatted(excepted, other));
            Path spec = dir.resolve("job.yaml");
            Files.writeString(spec, "source:\n  url: " + emu.baseUrl() + "\n  auth:\n    method: client-secret\n"
                    + "    client-id: cs-ex\n    client-secret: ${file:secret}\n  mode: bounded\n  from: "
                    + END.minusSeconds(86_400) + "\n  to: " + END + "\n  page-size: 500\n"
                    + "rules:\n  builtin: [all]\n  exceptions: exceptions.yml\n"
                    + "sinks:\n  alerts:\n    - {type: file, path: alerts}\nparallelism: 1\n");
            JobSpec parsed = new JobSpecReader().read(spec);
            assertThat(parsed.rules.exceptions).isEqualTo(dir.resolve("exceptions.yml"));

            RunResult r = JobRun.of(parsed).fresh(true).run();

            // The same rules over the same logs, locally: with and without the exceptions.
            List<LogRecord> logs = emu.dataset().logs(emu.apps().get(0).id()).stream().map(GeneratedLog::record).toList();
            RuleSet withExceptions = Pipeline.loadRules(parsed);
            LocalEvaluator local = new LocalEvaluator(Normalizer.defaults(), withExceptions, DetectionSettings.defaults());
            List<Alert> expected = local.evaluate(logs);
            List<Alert> unexcepted = LocalEvaluator.evaluate(logs, Normalizer.defaults(),
                    io.fendersec.detect.RuleLoader.builtin(), DetectionSettings.defaults());
            long droppedLocally = local.droppedMatches().get("exception ex-qa (brute-force)");

            assertThat(bruteForce(unexcepted, excepted)).as("without the exception the account alerts").isPositive();
            assertThat(bruteForce(expected, excepted)).isZero();
            assertThat(bruteForce(expected, other)).as("an expired exception does not apply").isPositive();
            assertThat(r.alertsByRule().get("brute-force|high"))
                    .isEqualTo(count(unexcepted) - bruteForce(unexcepted, excepted))
                    .isEqualTo(count(expected));
            assertThat(droppedLocally).isPositive();
            assertThat(r.droppedMatches()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "exception ex-qa (brute-force)", droppedLocally,
                    "exception ex-old (brute-force)", 0L));
            // The Flink metrics exception.<id>.droppedMatches, as the local run's reporter saw them.
            assertThat(r.clientCounters()).containsEntry("exception.ex-qa.droppedMatches", droppedLocally)
                    .containsEntry("exception.ex-old.droppedMatches", 0L);
        }
    }

    private static long bruteForce(List<Alert> alerts, String user) {
        return alerts.stream().filter(a -> a.ruleId().equals("brute-force") && user.equals(a.group().get("user.name")))
                .count();
    }

    private static long count(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.ruleId().equals("brute-force")).count();
    }
}
