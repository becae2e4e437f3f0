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

import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;
import io.fendersec.testing.CommittedAlerts;

/**
 * Live rule changes (docs/rules.md), judged while the job runs: a continuous job on a MiniCluster
 * watches its rule file ({@code rules.reload-interval: 1s}); the file is rewritten while logs
 * arrive live at the emulator, and the alerts follow the rules in force when the logs were
 * processed. Nothing is stopped or drained before a check.
 *
 * <p>When a change is in force is observed, not waited for: each version of the rules carries a
 * probe rule of its own ({@code it-probe-vN}), and probe logs are sent until its alert is
 * committed.
 */
class LiveRuleChangesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String APP = "app-1";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path tmp;

    private long seq;

    /** Version {@code v} of the watched rules: failed logins, brute force at {@code threshold}, a probe. */
    static String rules(int v, int threshold) {
        return String.join("\n",
                "title: Failed login",
                "name: it-failed-login",
                "detection: {sel: {text|contains: 'Login failed for'}, condition: sel}",
                "---",
                "title: Brute force",
                "name: it-brute",
                "level: high",
                "correlation: {type: event_count, rules: [it-failed-login], group-by: [device.udid], timespan: 2m,",
                "  condition: {gte: " + threshold + "}}",
                "---",
                "title: Rules version " + v,
                "name: it-probe-v" + v,
                "detection: {sel: {text|contains: 'probe for rules v" + v + "'}, condition: sel}",
                "");
    }

    private LogRecord log(String device, String text, Instant time) {
        seq++;
        return LogRecord.builder().put(LogFields.UUID, UUID.randomUUID().toString()).put(LogFields.APP, APP)
                .put(LogFields.DEVICE_UDID, device).put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, time.toString()).put(LogFields.ABSOLUTE_TIME, seq).build();
    }

    /** {@code n} failed logins on {@code device}, a second apart, the first {@code ago} before now. */
    private List<LogRecord> failures(String device, int n, Duration ago) {
        return failures(device, "bob@example.com", n, ago);
    }

    /** {@code n} failed logins of {@code user} on {@code device}, a second apart, the first {@code ago} before now. */
    private List<LogRecord> failures(String device, String user, int n, Duration ago) {
        Instant from = Instant.now().minus(ago);
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(log(device, "Login failed for " + user, from.plusSeconds(i)));
        }
        return out;
    }

    private JobClient start(EmulatorFixture f, Path rulesFile, Path exceptionsFile, Path alerts) throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(file, String.join("\n",
                "source:",
                f.sourceYaml(),
                "  mode: continuous",
                "  from: -1h",
                "  page-size: 100",
                "  poll-interval: 1s",
                "  max-out-of-orderness: 2s",
                "  idleness: 3s",
                "rules:",
                "  builtin: []",
                "  sigma: [" + rulesFile.getFileName() + "]", // relative to the job file's folder
                "  exceptions: " + exceptionsFile.getFileName(), // watched too
                "  reload-interval: 1s",
                // one episode per burst: a short burst that alerted would be an alert of its own
                "  suppression: 1s",
                "sinks:",
                "  alerts:",
                "    - type: file",
                "      path: " + alerts,
                "checkpointing:",
                "  interval: 1s",
                "parallelism: 2",
                ""));
        JobSpec spec = new JobSpecReader().read(file);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkConfig.of(spec, null));
        Instant now = Instant.now();
        Pipeline.assemble(env, spec, spec.source.client, spec.source.resolveFrom(now, now), null);
        return env.executeAsync("live-rule-changes-it");
    }

    private static Predicate<Alert> brute(String device) {
        return a -> a.ruleId().equals("it-brute") && device.equals(a.group().get("device.udid"));
    }

    /** Sends a probe log for rules version {@code v} every second until its alert is committed. */
    private void awaitRulesInForce(EmulatorFixture f, Path alerts, int v) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Predicate<Alert> probe = a -> a.ruleId().equals("it-probe-v" + v);
        while (CommittedAlerts.in(alerts).stream().noneMatch(probe)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("rules version " + v + " not in force within " + WAIT);
            }
            f.emulator.append(APP, List.of(log("prober", "probe for rules v" + v, Instant.now())));
            TimeUnit.SECONDS.sleep(1); // paces the probes; the loop waits for the probe's alert
        }
    }

    /** Polls the running job's accumulators until the drop count {@code label} reaches {@code n}; asserts it is {@code n}. */
    private static void awaitDropped(JobClient job, String label, long n) throws Exception {
        String name = DetectionPipeline.DROPPED_PREFIX + label;
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object v = null;
        while (!(v instanceof Long c && c >= n)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not " + n + " within " + WAIT + ": " + v);
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling an observable value
            v = job.getAccumulators().get(10, TimeUnit.SECONDS).get(name);
        }
        assertThat(v).as(name).isEqualTo(n);
    }

    /**
     * The steps of issue 17, part 2: attacks before and after each change; every alert (and every
     * missing one) is that of the rules in force when the attack was processed.
     */
    @Test
    void alertsFollowTheRulesInForceWhileTheJobRuns() throws Exception {
        Path alerts = tmp.resolve("alerts");
        Path rulesFile = tmp.resolve("rules.yml");
        Files.writeString(rulesFile, rules(1, 5));
        Path exceptionsFile = tmp.resolve("exceptions.yml");
        Files.writeString(exceptionsFile, "exceptions: []\n"); // named from the start, empty until step 4
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            JobClient job = start(f, rulesFile, exceptionsFile, alerts);
            try {
                // Step 1, rules v1 (5 failures): an attack of 6 alerts.
                awaitRulesInForce(f, alerts, 1);
                f.emulator.append(APP, failures("before", 6, Duration.ofSeconds(30)));
                Alert before = CommittedAlerts.await(alerts, "it-brute (before the change)", brute("before"), WAIT);
                assertThat(before.count()).isEqualTo(5);

                // Step 2: the threshold is raised to 8 while the job runs. On one device (one key,
                // so the alerts come out in event-time order): 6 failures 4 minutes ago, no longer
                // an attack, then 8 failures, an attack. Had the 6 alerted, that alert would be
                // committed no later than the 8's.
                Files.writeString(rulesFile, rules(2, 8));
                awaitRulesInForce(f, alerts, 2);
                f.emulator.append(APP, failures("after", 6, Duration.ofMinutes(4)));
                f.emulator.append(APP, failures("after", 8, Duration.ofSeconds(30)));
                CommittedAlerts.await(alerts, "it-brute (after the change)", brute("after"), WAIT);
                assertThat(CommittedAlerts.in(alerts).stream().filter(brute("after")))
                        .as("only the 8 failures alert under the raised threshold")
                        .singleElement().satisfies(a -> assertThat(a.count()).isEqualTo(8));

                // Step 3: a rule file that does not load leaves the rules in force (threshold 8),
                // then a good one (threshold 3) is applied.
                Files.writeString(rulesFile, rules(3, 3).replace("gte: 3", "gte: three"));
                f.emulator.append(APP, failures("broken", 6, Duration.ofMinutes(4)));
                f.emulator.append(APP, failures("broken", 8, Duration.ofSeconds(30)));
                CommittedAlerts.await(alerts, "it-brute (after a change that does not load)", brute("broken"), WAIT);
                assertThat(CommittedAlerts.in(alerts).stream().filter(brute("broken")))
                        .as("the rules in force stay when a change does not load")
                        .singleElement().satisfies(a -> assertThat(a.count()).isEqualTo(8));
                Files.writeString(rulesFile, rules(4, 3));
                awaitRulesInForce(f, alerts, 4);
                f.emulator.append(APP, failures("lowered", 3, Duration.ofSeconds(30)));
                assertThat(CommittedAlerts.await(alerts, "it-brute (threshold 3)", brute("lowered"), WAIT).count())
                        .isEqualTo(3);

                // Step 4: an exception for it-brute is added while the job runs (QA's test account).
                // The exceptions file is written first, then the probe's version: a look that sees
                // v5 sees the exception too, so v5's probe alert tells the exception is in force.
                // it-brute is unchanged (threshold 3), so its windows are kept.
                Files.writeString(exceptionsFile, String.join("\n",
                        "exceptions:",
                        "  - id: ex-qa-login",
                        "    rule: it-brute",
                        "    field: text",
                        "    values: ['Login failed for qa-bot@example.com']",
                        "    reason: QA load tests",
                        ""));
                Files.writeString(rulesFile, rules(5, 3));
                awaitRulesInForce(f, alerts, 5);
                // On one device (one key, alerts in event-time order): 4 excepted failures 4 minutes
                // ago, then 3 plain ones, an attack. Had the excepted 4 counted, their alert would be
                // committed no later than the plain 3's.
                f.emulator.append(APP, failures("excepted", "qa-bot@example.com", 4, Duration.ofMinutes(4)));
                f.emulator.append(APP, failures("excepted", 3, Duration.ofSeconds(30)));
                CommittedAlerts.await(alerts, "it-brute (after the exception)", brute("excepted"), WAIT);
                assertThat(CommittedAlerts.in(alerts).stream().filter(brute("excepted")))
                        .as("the excepted failures do not count; the plain ones alert")
                        .singleElement().satisfies(a -> assertThat(a.count()).isEqualTo(3));
                // Every excepted failure is a dropped match of it-brute, in the job's accumulators
                // (reported with the TaskManager's heartbeats, so polled).
                awaitDropped(job, "exception ex-qa-login (it-brute)", 4);

                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState())
                        .as("the alerts came from a job that is still running").isFalse();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
