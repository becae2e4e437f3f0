package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.LogRecord;
import io.fendersec.source.it.EmulatorFixture;

/**
 * Not a test: makes the savepoint of this release's full job that {@link FullJobSavepointIT}
 * restores. Runs only when asked (src/test/resources/compat/README.md):
 * {@code mvn -B -o test -Dtest=FullJobSavepointMaker -Dfendersec.compat.full.out=<dir>}.
 */
@EnabledIfSystemProperty(named = "fendersec.compat.full.out", matches = ".+")
class FullJobSavepointMaker {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path tmp;

    @Test
    void makeSavepoint() throws Exception {
        Path out = Path.of(System.getProperty("fendersec.compat.full.out")).toAbsolutePath();
        // As PreviousReleaseSavepointMaker: two minutes back, so the brute-force window (5 min) and
        // the SQL rule's 10-minute windows are open when the savepoint is taken.
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
        List<LogRecord> logs = PreviousReleaseSavepoint.beforeSavepoint(base);
        try (EmulatorFixture f = FullJobSavepoint.emulator()) {
            f.emulator.append(PreviousReleaseSavepoint.APP, logs.subList(0, 4));
            Path alerts = tmp.resolve("alerts");
            JobClient job = FullJobSavepoint.start(f, tmp, alerts, null, true);
            f.emulator.append(PreviousReleaseSavepoint.APP, logs.subList(4, logs.size()));
            PreviousReleaseSavepoint.awaitAlert(alerts, "brute-force (episode)",
                    PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.EPISODE_DEVICE));
            // The SQL rule's alert of the episode device too: after the restore its episode must suppress.
            PreviousReleaseSavepoint.awaitAlert(alerts, FullJobSavepoint.SQL_RULE + " (episode)",
                    FullJobSavepoint.sql(PreviousReleaseSavepoint.EPISODE_DEVICE));
            assertThat(PreviousReleaseSavepoint.committedAlerts(alerts))
                    .noneMatch(PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.WINDOW_DEVICE))
                    .noneMatch(FullJobSavepoint.sql(PreviousReleaseSavepoint.WINDOW_DEVICE));
            String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            assertThat(Instant.now()).as("taken while the window was open").isBefore(base.plus(Duration.ofMinutes(5)));
            Path from = Path.of(java.net.URI.create(savepoint));
            Path to = out.resolve("savepoint");
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path p : files.toList()) {
                    Files.copy(p, to.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(out.resolve("base-time.txt"), base + "\n");
            // What the maker's job had committed: "RULE DEVICE ALERT_ID" per line.
            StringBuilder before = new StringBuilder();
            for (io.fendersec.model.Alert a : PreviousReleaseSavepoint.committedAlerts(alerts)) {
                before.append(a.ruleId()).append(' ').append(a.group().get("device.udid")).append(' ')
                        .append(a.alertId()).append('\n');
            }
            Files.writeString(out.resolve("alerts-before.txt"), before.toString());
        }
    }
}
