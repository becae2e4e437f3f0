package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;

/**
 * A savepoint of this release's full continuous job ({@link FullJobSavepoint}: SQL rule,
 * {@code evidence: logs}, watched rule files, exceptions, a lookup table; made by
 * {@link FullJobSavepointMaker}, see src/test/resources/compat/README.md) restores into the job of
 * the current code. Run it after every change to state: operator uids, state names, serializers
 * (correlation state with evidence logs, grouped hits, alerts), the SQL operators' plan, the rule
 * watch split.
 *
 * <p>What it asserts, each because only restored state can make it so (the source resumes at its
 * saved position and never reads the logs before the savepoint again):
 * <ul>
 * <li>the open brute-force window kept its 4 hits <em>with their evidence logs' text</em> (the
 *     correlation state's formats with logs): its alert has 10 uuids and 10 logs;
 * <li>the open SQL windows kept their 4 rows: the SQL rule's alert counts 10 for that device;
 * <li>the alerted brute-force episode keeps suppressing (no second alert), and the SQL rule's
 *     alerts for the episode device are one alert id over both runs (its episode state);
 * <li>the exceptions still apply and the job keeps running.
 * </ul>
 */
class FullJobSavepointIT {
    /** This release's full job (main at the commit in the folder name). */
    static final String RELEASE = "savepoint-full-8c283c0";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path tmp;

    @Test
    void everyStateOfThisReleasesFullJobRestores() throws Exception {
        Path release = resource("compat/" + RELEASE);
        Instant base = Instant.parse(Files.readString(release.resolve("base-time.txt")).trim());
        List<String> before = Files.readAllLines(release.resolve("alerts-before.txt"));
        List<LogRecord> read = PreviousReleaseSavepoint.beforeSavepoint(base);
        List<LogRecord> after = new ArrayList<>(PreviousReleaseSavepoint.afterRestore(base));
        // The lab device fails 10 times too: excepted by the exceptions file, so no alert of any rule.
        after.addAll(PreviousReleaseSavepoint.failures("lab", FullJobSavepoint.LAB_DEVICE, "qa@example.com", 0, 10,
                base.plusSeconds(140), 401));
        String episode = PreviousReleaseSavepoint.EPISODE_DEVICE;
        String window = PreviousReleaseSavepoint.WINDOW_DEVICE;
        try (EmulatorFixture f = FullJobSavepoint.emulator()) {
            f.emulator.append(PreviousReleaseSavepoint.APP, read.subList(0, 4));
            f.emulator.append(PreviousReleaseSavepoint.APP, read.subList(4, read.size()));
            f.emulator.append(PreviousReleaseSavepoint.APP, after);

            Path alerts = tmp.resolve("alerts");
            JobClient job = FullJobSavepoint.start(f, tmp, alerts, release.resolve("savepoint").toUri().toString(), false);
            try {
                PreviousReleaseSavepoint.awaitAlert(alerts, "brute-force (fresh attack)",
                        PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.LAST_DEVICE));
                Alert sql = PreviousReleaseSavepoint.awaitAlert(alerts, FullJobSavepoint.SQL_RULE + " (window device)",
                        FullJobSavepoint.sql(window));
                PreviousReleaseSavepoint.awaitAlert(alerts, FullJobSavepoint.SQL_RULE + " (fresh attack)",
                        FullJobSavepoint.sql(PreviousReleaseSavepoint.LAST_DEVICE));
                List<Alert> committed = PreviousReleaseSavepoint.committedAlerts(alerts);

                // The brute-force window: 4 hits from the savepoint, with their logs, + 6 new ones.
                List<String> restoredUuids = read.subList(0, 4).stream().map(LogRecord::uuid).toList();
                Alert w = committed.stream().filter(PreviousReleaseSavepoint.bruteForce(window)).findFirst().orElseThrow();
                assertThat(w.count()).isEqualTo(10);
                assertThat(w.evidence()).hasSize(10).containsAll(restoredUuids);
                assertThat(w.evidenceLogs()).as("the restored hits' logs, not only their uuids").hasSize(10)
                        .filteredOn(l -> restoredUuids.contains(l.uuid())).hasSize(4)
                        .extracting(EvidenceLog::text).containsOnly("Login failed for " + PreviousReleaseSavepoint.WINDOW_USER);
                assertThat(w.group()).containsEntry("user.name", PreviousReleaseSavepoint.WINDOW_USER);

                // The SQL rule's windows: 4 rows from the savepoint + 6 new ones reach its threshold of 10.
                assertThat(sql.count()).isEqualTo(10);
                assertThat(sql.evidence()).containsAll(restoredUuids);

                // The episode: no second brute-force alert; the SQL rule's alerts of the episode device,
                // before the savepoint and after the restore, are one alert id (its episode state).
                assertThat(committed).noneMatch(PreviousReleaseSavepoint.bruteForce(episode));
                assertThat(before).as("alerted before the savepoint").anyMatch(l -> l.startsWith("brute-force " + episode + " "));
                List<String> sqlIds = Stream.concat(
                        before.stream().filter(l -> l.startsWith(FullJobSavepoint.SQL_RULE + " " + episode + " "))
                                .map(l -> l.substring(l.lastIndexOf(' ') + 1)),
                        committed.stream().filter(FullJobSavepoint.sql(episode)).map(Alert::alertId))
                        .distinct().toList();
                assertThat(sqlIds).as("one SQL alert for the episode device over both runs").hasSize(1);

                // Exceptions silence Sigma rules (SQL rules are not run through the matcher).
                assertThat(committed).as("the exceptions file still applies")
                        .noneMatch(a -> !a.ruleId().equals(FullJobSavepoint.SQL_RULE)
                                && FullJobSavepoint.LAB_DEVICE.equals(a.group().get("device.udid")));
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isTerminalState())
                        .as("the alerts came from a job that is still running").isFalse();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Path resource(String name) throws Exception {
        URL url = FullJobSavepointIT.class.getClassLoader().getResource(name);
        assertThat(url).as("test resource " + name).isNotNull();
        return Path.of(url.toURI());
    }
}
