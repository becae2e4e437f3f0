package io.fendersec.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.model.Alert;
import io.fendersec.source.it.EmulatorFixture;

/**
 * The job of the savepoint {@code compat/savepoint-full-*} (see src/test/resources/compat/README.md):
 * this release's whole continuous job, every kind of state it holds, on the scenario of
 * {@link PreviousReleaseSavepoint} (the same logs, the same open brute-force window and episode).
 * Shared by {@link FullJobSavepointMaker} and {@link FullJobSavepointIT} so both run the same job.
 *
 * <p>Beyond the previous release's job it has: a SQL rule ({@link #SQL_RULE}, window state of the
 * SQL operators, and its alerts waiting for their episode), {@code evidence: logs} on the file sink
 * (hits and episodes carry the logs' text: the correlation state's formats with logs), watched rule
 * files with {@code reload-interval} (the rule watch source's split), an exceptions file, and a
 * lookup table (watched with the rules in a continuous job).
 */
final class FullJobSavepoint {
    /** Not the previous release's port: both restore tests may run in one JVM, one after the other. */
    static final int PORT = 38022;
    static final String SQL_RULE = "sql-failed-logins";
    /** Excepted from every rule by the exceptions file: a lab device whose failures never alert. */
    static final String LAB_DEVICE = "lab-device";

    private FullJobSavepoint() {}

    static EmulatorFixture emulator() throws java.io.IOException {
        EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0).bind("127.0.0.1").port(PORT));
        f.emulator.addApp(PreviousReleaseSavepoint.APP, "One");
        return f;
    }

    /**
     * The job file both sides write. Both have a console and a file alert sink, in opposite order:
     * the file sink's uid is its position ({@code fendersec-alerts-file-N}), so the restored job's
     * file sink does not take the maker's (which names files of the maker's run), while the job
     * graph keeps its shape. The shape matters: the SQL operators have no uids of their own (Flink
     * hashes them from their place in the graph), and one sink more in the maker gave them other
     * uids, so their state was left unclaimed and the restored SQL windows started empty.
     *
     * @param maker the maker's order (file, console); else the restore's (console, file)
     */
    static JobClient start(EmulatorFixture f, Path dir, Path alerts, String resumeFrom, boolean maker)
            throws Exception {
        Files.writeString(dir.resolve("failed-logins.sql"), String.join("\n",
                "-- rule: " + SQL_RULE,
                "-- title: Ten failed logins on one device within ten minutes (SQL)",
                "-- severity: medium",
                "-- tags: attack.t1110",
                "SELECT app, `device.udid` AS group_device__udid, `device.udid` AS device, window_start, window_end,",
                "  MIN(ts) AS first_seen, MAX(ts) AS last_seen, COUNT(*) AS `count`, LISTAGG(uuid) AS evidence",
                "FROM TABLE(HOP(TABLE logs, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '10' MINUTE))",
                "WHERE text LIKE 'Login failed for %'",
                "GROUP BY app, `device.udid`, window_start, window_end",
                "HAVING COUNT(*) >= 10",
                ""));
        Files.writeString(dir.resolve("watched-rules.yml"), String.join("\n",
                "title: Watched marker",
                "name: watched-marker",
                "detection: {sel: {text|contains: 'watched marker'}, condition: sel}",
                ""));
        Files.writeString(dir.resolve("exceptions.yml"), String.join("\n",
                "exceptions:",
                "  - {id: ex-lab, rule: '*', field: device.udid, values: [" + LAB_DEVICE + "],",
                "     reason: the QA lab's test device}",
                ""));
        Files.writeString(dir.resolve("vip.csv"), "user.name,tier\nwalter@example.com,gold\n");
        List<String> lines = new ArrayList<>(List.of(
                "source:",
                f.sourceYaml(),
                "  mode: continuous",
                "  from: 2000-01-01T00:00:00Z",
                "  page-size: 100",
                "  poll-interval: 1s",
                "  max-out-of-orderness: 5s",
                "  idleness: 5s",
                "enrich:",
                "  lookups:",
                "    - {file: vip.csv, key: user.name, prefix: vip}",
                "rules:",
                "  builtin: [all]",
                "  sigma: [watched-rules.yml]",
                "  sql: [failed-logins.sql]",
                "  exceptions: exceptions.yml",
                "  reload-interval: 1s",
                "sinks:",
                "  alerts:"));
        List<String> fileSink = List.of("    - type: file", "      path: " + alerts, "      evidence: logs");
        if (maker) {
            lines.addAll(fileSink);
            lines.add("    - type: console");
        } else {
            lines.add("    - type: console");
            lines.addAll(fileSink);
        }
        lines.addAll(List.of(
                "checkpointing:",
                "  interval: 2s",
                "parallelism: 1",
                ""));
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, String.join("\n", lines));
        JobSpec spec = new JobSpecReader().read(file);
        org.apache.flink.configuration.Configuration conf = FlinkConfig.of(spec, resumeFrom);
        if (resumeFrom != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        Instant now = Instant.now();
        Pipeline.assemble(env, spec, spec.source.client, spec.source.resolveFrom(now, now), null);
        return env.executeAsync("full-job-savepoint");
    }

    static java.util.function.Predicate<Alert> sql(String device) {
        return a -> a.ruleId().equals(SQL_RULE) && device.equals(a.group().get("device.udid"));
    }
}
