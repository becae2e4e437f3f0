package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.testing.CommittedAlerts;

/**
 * A bounded job on a MiniCluster, over the emulator's benign traffic and two brute forces written
 * here, with a {@code rules.exceptions} file: the excepted account's brute force does not alert,
 * the other one does (its exception has expired), and the run's summary and metrics count the
 * dropped matches. Every expected number is written by hand from the logs below: 12 failed
 * sign-ins per account, each a match of {@code brute-force} (10 in 5 minutes on one device for
 * one account), so 12 drops for the excepted account and one alert for the other.
 *
 * <p>Mutations caught: an exception that also silences another account (no alert), an expired
 * exception still applied (no alert), a drop not counted or counted per correlation and detection
 * (not 12), the metric and the summary out of step.
 */
class JobExceptionsTest {
    private static final Instant END = Instant.parse("2026-03-02T00:00:00Z");
    private static final String QA = "qa-bot@fendersec.test";
    private static final String VICTIM = "victim@fendersec.test";

    @Test
    void aBoundedJobDropsTheExceptedAlertsAndCountsTheDroppedMatches(@TempDir Path dir) throws Exception {
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(11).apps(1).days(1).end(END).logsPerDay(1_000)
                .clientSecret("cs-ex", "s3cret", List.of()).start()) {
            String app = emu.apps().get(0).id();
            emu.append(app, failures(app, "qa-device", QA, END.minus(Duration.ofHours(3))));
            emu.append(app, failures(app, "attacker-device", VICTIM, END.minus(Duration.ofHours(2))));

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
                    """.formatted(QA, VICTIM));
            Path spec = dir.resolve("job.yaml");
            Files.writeString(spec, "source:\n  url: " + emu.baseUrl() + "\n  auth:\n    method: client-secret\n"
                    + "    client-id: cs-ex\n    client-secret: ${file:secret}\n  mode: bounded\n  from: "
                    + END.minusSeconds(86_400) + "\n  to: " + END + "\n  page-size: 500\n"
                    + "rules:\n  builtin: [all]\n  exceptions: exceptions.yml\n"
                    + "sinks:\n  alerts:\n    - {type: file, path: alerts}\nparallelism: 1\n");
            JobSpec parsed = new JobSpecReader().read(spec);
            assertThat(parsed.rules.exceptions).isEqualTo(dir.resolve("exceptions.yml"));

            RunResult r = JobRun.of(parsed).fresh(true).run();

            List<Alert> alerts = CommittedAlerts.in(dir.resolve("alerts"));
            assertThat(alerts).filteredOn(a -> a.ruleId().equals("brute-force"))
                    .as("one brute force: the victim's; the QA account's is excepted")
                    .singleElement().satisfies(a -> {
                        assertThat(a.group()).containsEntry("user.name", VICTIM)
                                .containsEntry("device.udid", "attacker-device");
                        // the span that first held: the 10th failure (docs/rules.md, "Episodes and alerts")
                        assertThat(a.count()).isEqualTo(10);
                        assertThat(a.windowEnd()).isEqualTo(END.minus(Duration.ofHours(2)).plusSeconds(90));
                    });
            assertThat(r.alertsByRule()).containsEntry("brute-force|high", 1L);
            assertThat(r.droppedMatches()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "exception ex-qa (brute-force)", 12L,
                    "exception ex-old (brute-force)", 0L));
            // The Flink metrics exception.<id>.droppedMatches, as the local run's reporter saw them.
            assertThat(r.clientCounters()).containsEntry("exception.ex-qa.droppedMatches", 12L)
                    .containsEntry("exception.ex-old.droppedMatches", 0L);
        }
    }

    /** 12 failed sign-ins of {@code user} on {@code device}, 10 s apart from {@code from}. */
    private static List<LogRecord> failures(String app, String device, String user, Instant from) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            out.add(LogRecord.builder().put(LogFields.UUID, java.util.UUID.nameUUIDFromBytes((device + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()).put(LogFields.APP, app)
                    .put(LogFields.DEVICE_UDID, device).put(LogFields.TEXT, "Login failed for " + user)
                    .put(LogFields.LOG_LEVEL, 2L).put(LogFields.TIME, from.plusSeconds(10L * i).toString()).build());
        }
        return out;
    }
}
