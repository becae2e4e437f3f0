package io.fendersec.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;
import io.fendersec.testing.CommittedAlerts;

/**
 * The scenario of the savepoint kept in {@code src/test/resources/compat/} (see its README): what the
 * job of a release had read when the savepoint was taken, and what arrives after a restore. Shared by
 * {@link PreviousReleaseSavepointMaker} (run once per release, with that release's code) and
 * {@link PreviousReleaseSavepointIT} (run with the current code), so both sides feed the same logs.
 *
 * <p>Two groups of the built-in {@code brute-force} rule (10 failed logins of one account on one
 * device within 5 minutes) are open in the savepoint:
 * <ul>
 * <li>a <b>window</b>: {@link #WINDOW_DEVICE} failed 4 times, no alert yet;
 * <li>an <b>episode</b>: {@link #EPISODE_DEVICE} failed 10 times and was alerted.
 * </ul>
 * After the restore {@link #WINDOW_DEVICE} fails 6 more times (10 only with the restored 4) and
 * {@link #EPISODE_DEVICE} 10 more times within the suppression of its episode (an alert of its own
 * only if the episode was lost); then {@link #LAST_DEVICE} 10 times, a new attack whose alert shows
 * that event time has passed all of the above.
 *
 * <p>The source's split state holds the emulator's page URLs, so the emulator listens on the same
 * fixed address both times and holds the same logs in the same arrival order (its cursors are
 * arrival positions): the restored reader then resumes at its page and offset as it would against
 * Bugfender, whose paging URLs are stable (docs/source.md, "Splits and positions").
 */
final class PreviousReleaseSavepoint {
    /** The emulator's address when the savepoint was made; the split state holds URLs on it. */
    static final int PORT = 38021;
    static final String APP = "app-1";
    static final String WINDOW_DEVICE = "attacker-window";
    static final String WINDOW_USER = "walter@example.com";
    static final String EPISODE_DEVICE = "attacker-episode";
    static final String EPISODE_USER = "erin@example.com";
    static final String LAST_DEVICE = "attacker-last";
    static final String LAST_USER = "zoe@example.com";

    private PreviousReleaseSavepoint() {}

    /** The emulator both sides use: no generated data, only the logs fed here. */
    static EmulatorFixture emulator() throws IOException {
        EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0).bind("127.0.0.1").port(PORT));
        f.emulator.addApp(APP, "One");
        return f;
    }

    /** Read by the job before the savepoint, in arrival order: the open window, then the alerted episode. */
    static List<LogRecord> beforeSavepoint(Instant base) {
        List<LogRecord> logs = new ArrayList<>();
        logs.addAll(failures("w", WINDOW_DEVICE, WINDOW_USER, 0, 4, base, 1));
        logs.addAll(failures("e", EPISODE_DEVICE, EPISODE_USER, 0, 10, base.plusSeconds(30), 5));
        return logs;
    }

    /** Arrives after the restore: completes the window; repeats the attack inside the episode. */
    static List<LogRecord> afterRestore(Instant base) {
        List<LogRecord> logs = new ArrayList<>();
        logs.addAll(failures("w", WINDOW_DEVICE, WINDOW_USER, 4, 6, base.plusSeconds(90), 101));
        logs.addAll(failures("e", EPISODE_DEVICE, EPISODE_USER, 10, 10, base.plusSeconds(120), 201));
        // A fresh attack dated after everything else: its alert comes out of a later watermark than any
        // alert the episode's repeat could cause, so once it is committed, such an alert would be too.
        logs.addAll(failures("z", LAST_DEVICE, LAST_USER, 0, 10, base.plusSeconds(170), 301));
        return logs;
    }

    /** The first failure of the open window: the window's start and the episode start of its alert. */
    static Instant windowStart(Instant base) {
        return base;
    }

    /** {@code n} failed logins 5 s apart from {@code from}, with uuids fixed by the base time and index. */
    static List<LogRecord> failures(String tag, String device, String user, int first, int n, Instant from,
            long seq) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(LogRecord.builder().put(LogFields.UUID, uuid(tag, first + i)).put(LogFields.APP, APP)
                    .put(LogFields.DEVICE_UDID, device).put(LogFields.TEXT, "Login failed for " + user)
                    .put(LogFields.LOG_LEVEL, 3L).put(LogFields.TIME, from.plusSeconds(5L * i).toString())
                    .put(LogFields.ABSOLUTE_TIME, seq + i).build());
        }
        return out;
    }

    static String uuid(String tag, int i) {
        return UUID.nameUUIDFromBytes((tag + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /**
     * The job as {@code fendersec run} assembles it ({@link Pipeline} from a job file): continuous
     * source on the emulator, the built-in pack, a file sink, checkpoints every 2 s, parallelism 1.
     * {@code extraSinks} go first, so the file sink's uid differs between maker and restore (the
     * maker's file sink state names files of its own run; the restore starts a fresh sink).
     */
    static JobClient start(EmulatorFixture f, Path dir, Path alerts, String resumeFrom, String... extraSinks)
            throws Exception {
        return start(f, dir, alerts, resumeFrom, false, extraSinks);
    }

    /**
     * @param watchRules whether the job also watches a rule file of its own ({@code rules.sigma}, so
     *                   the detection operators are the live ones, with the rule stream as broadcast
     *                   input): the previous release's keyed state must restore into them too
     */
    static JobClient start(EmulatorFixture f, Path dir, Path alerts, String resumeFrom, boolean watchRules,
                           String... extraSinks) throws Exception {
        return startOnBackend(f, dir, alerts, resumeFrom, watchRules, "hashmap", extraSinks);
    }

    /** @param backend {@code state.backend} of the job (hashmap or rocksdb) */
    static JobClient startOnBackend(EmulatorFixture f, Path dir, Path alerts, String resumeFrom, boolean watchRules,
                           String backend, String... extraSinks) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "source:",
                f.sourceYaml(),
                "  mode: continuous",
                "  from: 2000-01-01T00:00:00Z",
                "  page-size: 100",
                "  poll-interval: 1s",
                "  max-out-of-orderness: 5s",
                "  idleness: 5s",
                "rules:",
                "  builtin: [all]"));
        if (watchRules) {
            Path extra = dir.resolve("watched-rules.yml");
            Files.writeString(extra, String.join("\n",
                    "title: Watched marker",
                    "name: watched-marker",
                    "detection: {sel: {text|contains: 'watched marker'}, condition: sel}",
                    ""));
            lines.addAll(List.of("  sigma: [" + extra + "]", "  reload-interval: 1s"));
        }
        lines.addAll(List.of(
                "sinks:",
                "  alerts:"));
        for (String s : extraSinks) {
            lines.add("    - type: " + s);
        }
        lines.addAll(List.of(
                "    - type: file",
                "      path: " + alerts,
                "checkpointing:",
                "  interval: 2s",
                "state:",
                "  backend: " + backend,
                "parallelism: 1",
                ""));
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, String.join("\n", lines));
        JobSpec spec = new JobSpecReader().read(file);
        org.apache.flink.configuration.Configuration conf = FlinkConfig.of(spec, resumeFrom);
        if (resumeFrom != null) {
            // Only the maker's file sink is not in the restored job (see extraSinks).
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        Instant now = Instant.now();
        Pipeline.assemble(env, spec, spec.source.client, spec.source.resolveFrom(now, now), null);
        return env.executeAsync("previous-release-savepoint");
    }

    /** Polls the committed alert files until one matches; fails at the deadline. */
    static Alert awaitAlert(Path dir, String what, Predicate<Alert> wanted) throws InterruptedException {
        return CommittedAlerts.await(dir, what, wanted, WAIT);
    }

    static List<Alert> committedAlerts(Path dir) {
        return CommittedAlerts.in(dir);
    }

    static Predicate<Alert> bruteForce(String device) {
        return a -> a.ruleId().equals("brute-force") && device.equals(a.group().get("device.udid"));
    }

    static final Duration WAIT = Duration.ofSeconds(90);
}
