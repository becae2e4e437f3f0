package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;
import io.fendersec.testing.CommittedAlerts;

/**
 * Issue 28 §2 on a job that keeps running: an absence (Sigma v2.2 {@code a and not b}) must come
 * out when event time passes the end of the window, while the job runs: a test that stops or
 * drains the job would flush every window with the final watermark and hide an absence alert that
 * never comes out of a running job. As in {@link ContinuousDetectionIT}: logs arrive live over
 * HTTP at the emulator, the job is the one {@link Pipeline} builds from a job file (the example
 * rule {@code examples/rules/success-without-mfa.yml}, file sink), on a MiniCluster; the checks
 * poll what the running job committed, then the job is cancelled.
 */
class TemporalAbsenceContinuousIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String APP = "app-1";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path tmp;

    private long seq;

    private LogRecord log(String device, String text, Instant time) {
        seq++;
        return LogRecord.builder().put(LogFields.UUID, UUID.randomUUID().toString()).put(LogFields.APP, APP)
                .put(LogFields.DEVICE_UDID, device).put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, time.toString()).put(LogFields.ABSOLUTE_TIME, seq).build();
    }

    private JobClient start(EmulatorFixture f, Path rules, Path out) throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(file, String.join("\n",
                "source:",
                f.sourceYaml(),
                "  mode: continuous",
                "  from: -1h",
                "  page-size: 100",
                "  poll-interval: 1s",
                "  max-out-of-orderness: 5s",
                "  idleness: 5s",
                "rules:",
                "  builtin: []",
                "  sigma: [" + rules + "]",
                "sinks:",
                "  alerts:",
                "    - type: file",
                "      path: " + out.resolve("alerts"),
                "checkpointing:",
                "  interval: 2s",
                "parallelism: 1",
                ""));
        JobSpec spec = new JobSpecReader().read(file);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkConfig.of(spec, null));
        Instant now = Instant.now();
        Pipeline.assemble(env, spec, spec.source.client, spec.source.resolveFrom(now, now), null);
        return env.executeAsync("temporal-absence-it");
    }

    /**
     * A sign-in without MFA (bob) and one with it (eve), arriving live; the rule's window is 20 s
     * (the example's 2 min, shortened so the test waits less). Expected by hand: one alert, bob's,
     * for the window [sign-in, sign-in + 20 s], committed while the job runs; none for eve, whose
     * window closed before bob's. Meant to catch (the same mutations seen failing in
     * AbsenceTimingHarnessTest; not yet run against this IT): the group's timer not set at the window's close (the
     * alert would wait for the group's cleanup, lateness + suppression = 2 h, and never arrive
     * here), the absence judged only on the final watermark of a drained job, the negated rule
     * ignored (eve would alert).
     */
    @Test
    void anAbsenceAlertArrivesWhileTheJobRuns() throws Exception {
        String rule = Files.readString(Path.of("examples/rules/success-without-mfa.yml"))
                .replace("timespan: 2m", "timespan: 20s");
        assertThat(rule).contains("timespan: 20s");
        Path rules = Files.writeString(tmp.resolve("success-without-mfa.yml"), rule);
        Path out = tmp.resolve("out");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            JobClient job = start(f, rules, out);
            try {
                Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                f.emulator.append(APP, List.of(
                        log("phone-e", "Login succeeded for eve@example.com", t),
                        log("phone-e", "MFA verified for eve@example.com", t.plusSeconds(5)),
                        log("phone-b", "Login succeeded for bob@example.com", t.plusSeconds(1))));
                Alert a = CommittedAlerts.await(out.resolve("alerts"), "success-without-mfa for bob",
                        x -> x.ruleId().equals("success-without-mfa"), WAIT);
                assertThat(a.group()).containsEntry("user.name", "bob@example.com")
                        .containsEntry("device.udid", "phone-b");
                assertThat(a.windowStart()).isEqualTo(t.plusSeconds(1));
                assertThat(a.windowEnd()).isEqualTo(t.plusSeconds(21));
                assertThat(a.severity()).isEqualTo("high");
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState())
                        .as("the alert came from a job that is still running").isFalse();
                // eve's window [t, t + 20 s] closed before bob's: had it held, it would be out too
                assertThat(CommittedAlerts.in(out.resolve("alerts")))
                        .filteredOn(x -> x.ruleId().equals("success-without-mfa"))
                        .extracting(x -> x.group().get("user.name")).containsOnly("bob@example.com");
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
