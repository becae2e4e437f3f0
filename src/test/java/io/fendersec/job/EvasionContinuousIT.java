package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.LabelMatcher;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.source.it.ArchiveFiles;
import io.fendersec.source.it.EmulatorFixture;
import io.fendersec.testing.CommittedAlerts;

/**
 * Issue 27 §1 and §2 on jobs that keep running: the device's owner chooses the spelling of the
 * account and the device's clock, and neither may hide the attack. As in
 * {@link ContinuousDetectionIT}: logs arrive live over HTTP at the emulator, the job is the one
 * {@link Pipeline} builds from a job file (built-in pack, file sink), on a MiniCluster, and every
 * check polls what the running job committed; nothing is stopped or drained before it.
 */
class EvasionContinuousIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
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

    private List<LogRecord> benign(int n, Instant from, Duration step) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(log("phone-" + (i % 5), "Screen shown: home", from.plus(step.multipliedBy(i))));
        }
        return out;
    }

    /** Each log appended on its own, paced: they arrive live (the pause paces, it synchronizes nothing). */
    private static void arriveLive(EmulatorFixture f, List<LogRecord> logs, long everyMillis) throws InterruptedException {
        for (LogRecord l : logs) {
            f.emulator.append(APP, List.of(l));
            TimeUnit.MILLISECONDS.sleep(everyMillis);
        }
    }

    private JobClient start(EmulatorFixture f, Path out) throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(file, String.join("\n",
                "source:",
                f.sourceYaml(),
                "  mode: continuous",
                // the default: the server's tail lists only logs dated after from, so a clock set
                // back further than from is not listed at all (docs/rules.md, "The arrival lane")
                "  from: -24h",
                "  page-size: 100",
                "  poll-interval: 1s",
                "  max-out-of-orderness: 5s",
                "  idleness: 5s",
                "rules:",
                "  builtin: [all]",
                "sinks:",
                "  archive:",
                "    path: " + out.resolve("logs"),
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
        return env.executeAsync("evasion-it");
    }

    private static Alert awaitAlert(Path dir, String what, Predicate<Alert> wanted) throws InterruptedException {
        return CommittedAlerts.await(dir, what, wanted, WAIT);
    }

    private static void awaitArchived(Path dir, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ArchiveFiles.committedUuids(dir).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the archive did not reach " + n + " logs within " + WAIT);
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling the output, not timing the system under test
        }
    }

    private static Predicate<Alert> rule(String id, String device) {
        return a -> a.ruleId().equals(id) && device.equals(a.group().get("device.udid"));
    }

    private static void assertRunning(JobClient job) throws Exception {
        assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState())
                .as("the alerts came from a job that is still running").isFalse();
    }

    /**
     * §1, the reproduction: 81 failed sign-ins for one account in under 3 minutes, in 9
     * spellings, then a success in a tenth, arriving live. Before: no alert (nine groups of nine).
     * Catches: group keys compared as written (RuleMatcher reading the raw value), user.name not
     * folded in the defaults.
     */
    @Test
    void caseVariantsOfOneAccountAlertWhileTheJobRuns() throws Exception {
        List<String> spellings = List.of("victim@example.com", "Victim@Example.com", "VICTIM@example.com",
                "victim@EXAMPLE.COM", "ViCtIm@ExAmPlE.cOm", "VICTIM@EXAMPLE.COM", "vIcTiM@eXaMpLe.CoM",
                "Victim@example.com", "victim@Example.Com");
        Path out = tmp.resolve("out");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            Instant now = Instant.now();
            List<LogRecord> snapshot = benign(40, now.minus(Duration.ofMinutes(20)), Duration.ofSeconds(7));
            f.emulator.append(APP, snapshot);
            JobClient job = start(f, out);
            try {
                awaitArchived(out.resolve("logs"), snapshot.size());
                Instant t = Instant.now().minusSeconds(170);
                List<LogRecord> live = new ArrayList<>();
                for (int i = 0; i < 81; i++) {
                    live.add(log("attacker-1", "Login failed for " + spellings.get(i % 9), t.plusSeconds(2L * i)));
                }
                live.add(log("attacker-1", "Login succeeded for vIcTiM@example.com", t.plusSeconds(165)));
                arriveLive(f, live, 60);
                Path alerts = out.resolve("alerts");
                Alert bf = awaitAlert(alerts, "brute-force over 9 spellings", rule("brute-force", "attacker-1"));
                assertThat(bf.group()).containsEntry("user.name", "victim@example.com");
                assertThat(bf.severity()).isEqualTo("high");
                Alert success = awaitAlert(alerts, "brute-force-success over 10 spellings",
                        rule("brute-force-success", "attacker-1"));
                assertThat(success.severity()).isEqualTo("critical");
                assertRunning(job);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * §2, the reproduction: 15 failures and a success from a device whose clock is 2 hours
     * behind, arriving live (one a second, so over several settle periods of the arrival lane).
     * Before: nothing (every log too late for correlations) and nothing flagged the device. Then
     * the brute force counts (re-timed by the device's offset) and device-clock-behind reports
     * the device. Catches: late logs left out of correlations (no arrival lane), the lane
     * re-timing nothing (tolerance check inverted), the re-timed logs not marked behind.
     */
    @Test
    void aClockSetBackIsCountedAndReportedWhileTheJobRuns() throws Exception {
        Path out = tmp.resolve("out");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            Instant now = Instant.now();
            List<LogRecord> snapshot = benign(40, now.minus(Duration.ofMinutes(20)), Duration.ofSeconds(7));
            f.emulator.append(APP, snapshot);
            JobClient job = start(f, out);
            try {
                awaitArchived(out.resolve("logs"), snapshot.size());
                Path alerts = out.resolve("alerts");
                Instant behind = Instant.now().minus(Duration.ofHours(2));
                List<LogRecord> live = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    live.add(log("set-back-1", "Login failed for bob@example.com", behind.plusSeconds(i)));
                }
                live.add(log("set-back-1", "Login succeeded for bob@example.com", behind.plusSeconds(15)));
                arriveLive(f, live, 1000);
                Alert bf = awaitAlert(alerts, "brute-force from a clock 2h behind", rule("brute-force", "set-back-1"));
                assertThat(bf.group()).containsEntry("user.name", "bob@example.com");
                awaitAlert(alerts, "brute-force-success from a clock 2h behind",
                        rule("brute-force-success", "set-back-1"));
                awaitAlert(alerts, "device-clock-behind", rule("device-clock-behind", "set-back-1"));
                assertRunning(job);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * §2's other half: an offline device uploads three hours of logs at once (its newest a minute
     * old), among them 12 failed sign-ins 10 minutes apart, more than an hour old: normal, no
     * alert. Then a device with its clock set back sends live, as a sentinel through the same lane:
     * once its device-clock-behind alert is committed, the upload's batch was judged before it.
     * Guards against re-timing late logs to their arrival (the 12 failures would become one burst
     * and raise brute-force) and reporting one batch as a clock set back; the tolerance mutation
     * itself is seen failing in ArrivalLaneHarnessTest.anOfflineUploadIsNotOneBurst. With no arrival
     * lane at all this test fails too (its sentinel never alerts).
     */
    @Test
    void anOfflineUploadDoesNotBecomeABurstWhileTheJobRuns() throws Exception {
        Path out = tmp.resolve("out");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            Instant now = Instant.now();
            List<LogRecord> snapshot = benign(40, now.minus(Duration.ofMinutes(20)), Duration.ofSeconds(7));
            f.emulator.append(APP, snapshot);
            JobClient job = start(f, out);
            try {
                awaitArchived(out.resolve("logs"), snapshot.size());
                Instant t = Instant.now();
                List<LogRecord> upload = new ArrayList<>();
                for (int m = 180; m >= 1; m -= 2) {
                    upload.add(log("offline-1", "Screen shown: home", t.minus(Duration.ofMinutes(m))));
                }
                for (int i = 0; i < 12; i++) {
                    upload.add(log("offline-1", "Login failed for carol@example.com",
                            t.minus(Duration.ofMinutes(180 - 10L * i))));
                }
                upload.sort(java.util.Comparator.comparing(LogRecord::time));
                f.emulator.append(APP, upload); // at once: one upload

                Instant behind = Instant.now().minus(Duration.ofHours(2));
                List<LogRecord> sentinel = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    sentinel.add(log("set-back-2", "Screen shown: cart", behind.plusSeconds(i)));
                }
                arriveLive(f, sentinel, 1000);
                Path alerts = out.resolve("alerts");
                awaitAlert(alerts, "device-clock-behind for the sentinel", rule("device-clock-behind", "set-back-2"));
                assertRunning(job);
                List<Alert> all = CommittedAlerts.in(alerts);
                assertThat(all).filteredOn(a -> "offline-1".equals(a.group().get("device.udid")))
                        .as("an offline upload raises nothing").isEmpty();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The emulator's labeled scenario {@code clock-behind}, judged by its own ground truth while
     * the job runs. Catches a scenario whose label the lane's re-timed alert does not fall in.
     */
    @Test
    void theClockBehindScenarioIsFoundByItsLabelWhileTheJobRuns() throws Exception {
        Path out = tmp.resolve("out");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(1).days(1).logsPerDay(500).scenario("clock-behind")
                .liveRate(5))) {
            List<ScenarioLabel> labels = f.emulator.labels();
            assertThat(labels).extracting(ScenarioLabel::ruleId).containsExactly("device-clock-behind");
            JobClient job = start(f, out);
            try {
                Path alerts = out.resolve("alerts");
                awaitAlert(alerts, "device-clock-behind", a -> a.ruleId().equals("device-clock-behind"));
                List<Alert> behind = CommittedAlerts.in(alerts).stream()
                        .filter(a -> a.ruleId().equals("device-clock-behind")).toList();
                LabelMatcher.Result score = LabelMatcher.match(behind, labels);
                assertThat(score.found()).as(score.summary()).containsExactlyElementsOf(labels);
                assertThat(score.unexpected()).isEmpty();
                assertRunning(job);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
