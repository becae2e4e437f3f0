package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;
import io.fendersec.testing.CommittedAlerts;

/**
 * Live lookup tables (docs/enrichment.md), judged while the job runs: a continuous job on a
 * MiniCluster joins {@code vip.csv} onto its logs and watches it ({@code rules.reload-interval:
 * 1s}); the table is rewritten while logs arrive live at the emulator, and a Sigma rule on
 * {@code vip.tier} alerts for an account only once the table in force says it is a VIP. Nothing
 * is stopped or drained before a check.
 */
class LiveLookupsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String APP = "app-1";
    static final String RULES = String.join("\n",
            "title: VIP sign-in",
            "name: it-vip",
            "detection: {sel: {vip.tier: gold}, condition: sel}",
            "---",
            "title: Probe",
            "name: it-probe",
            "detection: {sel: {text|contains: 'probe for the job'}, condition: sel}",
            "");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path tmp;

    private long seq;

    private LogRecord log(String text) {
        seq++;
        return LogRecord.builder().put(LogFields.UUID, UUID.randomUUID().toString()).put(LogFields.APP, APP)
                .put(LogFields.DEVICE_UDID, "dev-1").put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, Instant.now().toString()).put(LogFields.ABSOLUTE_TIME, seq).build();
    }

    private JobClient start(EmulatorFixture f, Path alerts) throws Exception {
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
                "enrich:",
                "  lookups:",
                "    - {file: vip.csv, key: user.name, prefix: vip}", // relative to the job file's folder
                "rules:",
                "  builtin: []",
                "  sigma: [rules.yml]",
                "  reload-interval: 1s",
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
        return env.executeAsync("live-lookups-it");
    }

    private static final Predicate<Alert> VIP = a -> a.ruleId().equals("it-vip");

    @Test
    void aChangedTableIsJoinedWhileTheJobRuns() throws Exception {
        Path alerts = tmp.resolve("alerts");
        Files.writeString(tmp.resolve("rules.yml"), RULES);
        Path table = tmp.resolve("vip.csv");
        Files.writeString(table, "account,tier\nben@example.com,silver\n");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            JobClient job = start(f, alerts);
            try {
                // Before: ana signs in, then a probe; once the probe alerts, ana's log has been matched.
                f.emulator.append(APP, List.of(log("Login succeeded for ana@example.com from 192.0.2.1"),
                        log("probe for the job")));
                CommittedAlerts.await(alerts, "the probe", a -> a.ruleId().equals("it-probe"), WAIT);
                assertThat(CommittedAlerts.in(alerts).stream().filter(VIP)).as("ana is not in the table yet").isEmpty();

                // ana becomes a VIP while the job runs: her sign-ins alert once the table is in force.
                Files.writeString(table, "account,tier\nben@example.com,silver\nana@example.com,gold\n");
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (CommittedAlerts.in(alerts).stream().noneMatch(VIP)) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the changed table not in force within " + WAIT);
                    }
                    f.emulator.append(APP, List.of(log("Login succeeded for ana@example.com from 192.0.2.1")));
                    TimeUnit.SECONDS.sleep(1); // paces the sign-ins; the loop waits for the alert
                }
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState())
                        .as("the alert came from a job that is still running").isFalse();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
