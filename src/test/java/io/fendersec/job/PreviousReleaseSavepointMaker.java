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

import io.fendersec.source.it.EmulatorFixture;

/**
 * Not a test: makes the savepoint {@link PreviousReleaseSavepointIT} restores, with the code of the
 * checkout it runs in. Runs only when asked (see src/test/resources/compat/README.md):
 * {@code mvn -B -o test -Dtest=PreviousReleaseSavepointMaker -Dfendersec.compat.out=<dir>}.
 */
@EnabledIfSystemProperty(named = "fendersec.compat.out", matches = ".+")
class PreviousReleaseSavepointMaker {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path tmp;

    @Test
    void makeSavepoint() throws Exception {
        Path out = Path.of(System.getProperty("fendersec.compat.out")).toAbsolutePath();
        // Two minutes back: the window's 5 minutes are still open (the watermark follows the wall
        // clock through quiet polls) while the episode's last failure is already behind the watermark.
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
        List<io.fendersec.model.LogRecord> logs = PreviousReleaseSavepoint.beforeSavepoint(base);
        try (EmulatorFixture f = PreviousReleaseSavepoint.emulator()) {
            f.emulator.append(PreviousReleaseSavepoint.APP, logs.subList(0, 4)); // the window: in the snapshot
            Path alerts = tmp.resolve("alerts");
            JobClient job = PreviousReleaseSavepoint.start(f, tmp, alerts, null, "console");
            f.emulator.append(PreviousReleaseSavepoint.APP, logs.subList(4, logs.size())); // the episode
            PreviousReleaseSavepoint.awaitAlert(alerts, "brute-force (episode)",
                    PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.EPISODE_DEVICE));
            assertThat(PreviousReleaseSavepoint.committedAlerts(alerts))
                    .noneMatch(PreviousReleaseSavepoint.bruteForce(PreviousReleaseSavepoint.WINDOW_DEVICE));
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
        }
    }
}
