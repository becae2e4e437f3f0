package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.emulator.BugfenderEmulator;

/**
 * A bounded run reports live progress: the logs read so far (from the running job, not at its end)
 * and the run's total from {@code /logs/count}. The request budget is set low so that the read
 * takes several progress intervals; nothing here waits on time itself.
 */
class JobRunProgressTest {
    private static final Instant END = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void aBoundedRunReportsLogsReadSoFarAgainstItsTotal(@TempDir Path dir) throws Exception {
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(5).apps(1).days(1).end(END).logsPerDay(3_000)
                .clientSecret("cs-progress", "s3cret", List.of()).start()) {
            Path secret = dir.resolve("secret");
            Files.writeString(secret, "s3cret");
            Path spec = dir.resolve("job.yaml");
            Files.writeString(spec, "source:\n  url: " + emu.baseUrl() + "\n  auth:\n    method: client-secret\n"
                    + "    client-id: cs-progress\n    client-secret: ${file:" + secret + "}\n"
                    + "  network:\n    requests-per-second: 4\n  mode: bounded\n  from: " + END.minusSeconds(86_400)
                    + "\n  to: " + END + "\n  slice: 6h\n  page-size: 100\nparallelism: 1\n");
            List<JobRun.Progress> seen = new CopyOnWriteArrayList<>();
            RunResult r = JobRun.of(new JobSpecReader().read(spec)).fresh(true).progress(seen::add).run();

            assertThat(r.logs()).isGreaterThan(2_000);
            assertThat(seen).as("progress while the job ran")
                    .anySatisfy(p -> assertThat(p.logs()).isPositive().isLessThan(r.logs()));
            assertThat(seen).as("the total is the server's count of the range")
                    .anySatisfy(p -> assertThat(p.total()).isEqualTo(r.logs()));
            assertThat(seen).extracting(JobRun.Progress::logs).isSorted();
        }
    }
}
