package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;

/**
 * A savepoint taken by the previous release's job (kept in src/test/resources/compat/, made by
 * {@link PreviousReleaseSavepointMaker}; how and when to add one: the README there) restores into
 * the current job: its source resumes at its page and offset, its brute-force window keeps the
 * failures it had counted, its open episode keeps suppressing. A change of operator uids, state
 * names or serializers that loses this state, or fails to read it, fails here.
 *
 * <p>The job is the one {@code fendersec run} builds ({@link Pipeline} from a job file, built-in
 * pack) on a MiniCluster against the emulator, which listens on the address the savepoint's split
 * state names (a fixed port: {@link PreviousReleaseSavepoint#PORT}) and holds the same logs in the
 * same arrival order, so the restored page URLs and offsets mean what they meant.
 */
class PreviousReleaseSavepointIT {
    /** The savepoint of the release before the refactors of issues 19 and 21 (main at e289366). */
    static final String RELEASE = "savepoint-e289366";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path tmp;

    /**
     * @param watchRules the restored job watches a rule file: its match and correlation operators
     *                   take the rule stream as a second (broadcast) input, under the same uids
     */
    /*
     * @param backend  state.backend of the restored job: the savepoint (taken on the heap) restores into
     *                 RocksDB too (issue 26). Mutation caught: state.backend ignored by FlinkConfig would
     *                 still pass here, so JobSpecReaderTest/FlinkConfig checks cover the key itself;
     *                 this run shows a job on RocksDB restores, keeps its window and alerts.
     */
    @ParameterizedTest(name = "watching rule files: {0}, state.backend {1}")
    @org.junit.jupiter.params.provider.CsvSource({"false,hashmap", "true,hashmap", "false,rocksdb"})
    void theOpenWindowAndEpisodeOfThePreviousReleaseRestore(boolean watchRules, String backend) throws Exception {
        Path release = resource("compat/" + RELEASE);
        Instant base = Instant.parse(Files.readString(release.resolve("base-time.txt")).trim());
        List<LogRecord> before = PreviousReleaseSavepoint.beforeSavepoint(base);
        List<LogRecord> after = PreviousReleaseSavepoint.afterRestore(base);
        try (EmulatorFixture f = PreviousReleaseSavepoint.emulator()) {
            // What the emulator held when the savepoint was taken, in the same arrival order, then
            // what arrived while the job was down.
            f.emulator.append(PreviousReleaseSavepoint.APP, before.subList(0, 4));
            f.emulator.append(PreviousReleaseSavepoint.APP, before.subList(4, before.size()));
            f.emulator.append(PreviousReleaseSavepoint.APP, after);

            Path alerts = tmp.resolve("alerts");
            JobClient job = PreviousReleaseSavepoint.startOnBackend(f, tmp, alerts,
                    release.resolve("savepoint").toUri().toString(), watchRules, backend);
            try {
                Alert last = PreviousReleaseSavepoint.awaitAlert(alerts, "brute-force (fresh attack)",
                        PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.LAST_DEVICE));
                assertThat(last.count()).isEqualTo(10);

                // The window: 4 failures from the savepoint + 6 new ones. The source did not read the 4
                // again (it resumed at its position), so only the restored window can hold them.
                List<String> windowUuids = before.subList(0, 4).stream().map(LogRecord::uuid).toList();
                List<String> newUuids = after.stream()
                        .filter(l -> PreviousReleaseSavepoint.WINDOW_DEVICE.equals(l.deviceUdid()))
                        .map(LogRecord::uuid).toList();
                List<Alert> committed = PreviousReleaseSavepoint.committedAlerts(alerts);
                List<Alert> window = committed.stream()
                        .filter(PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.WINDOW_DEVICE)).toList();
                assertThat(window).as("one alert for the window completed after the restore").hasSize(1);
                Alert w = window.get(0);
                assertThat(w.count()).isEqualTo(10);
                assertThat(w.group()).containsEntry("user.name", PreviousReleaseSavepoint.WINDOW_USER);
                assertThat(w.firstSeen()).isEqualTo(PreviousReleaseSavepoint.windowStart(base));
                assertThat(w.lastSeen()).isEqualTo(base.plusSeconds(115)); // the 6th new failure: 90 s + 5 x 5 s
                assertThat(w.evidence()).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(windowUuids.stream(), newUuids.stream()).toList());
                assertThat(w.device()).isEqualTo(PreviousReleaseSavepoint.WINDOW_DEVICE);
                // Its episode starts when the window first held, at the 10th failure: the id a run
                // without the savepoint in between would have written (replays write the same id).
                Instant held = base.plusSeconds(115);
                assertThat(w.windowEnd()).isEqualTo(held);
                assertThat(w.alertId()).isEqualTo(Alert.idFor("brute-force", PreviousReleaseSavepoint.APP,
                        w.group(), held.toEpochMilli()));

                // The episode: alerted before the savepoint; 10 more failures within its suppression are
                // the same episode (docs/rules.md, "Episodes and alerts"), so no second alert. Were the
                // episode lost, they would make one of their own (10 failures in 45 s), committed no
                // later than the fresh attack's.
                assertThat(committed).as("the restored episode suppresses the repeat")
                        .noneMatch(PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.EPISODE_DEVICE));
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState())
                        .as("the alerts came from a job that is still running").isFalse();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        URL url = PreviousReleaseSavepointIT.class.getClassLoader().getResource(name);
        assertThat(url).as("test resource " + name).isNotNull();
        return Path.of(url.toURI());
    }
}
