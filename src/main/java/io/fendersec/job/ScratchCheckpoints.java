package io.fendersec.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a job without {@code checkpointing.dir} checkpoints: one folder per process under the
 * system's temporary folder, created owner-only (state holds group values and evidence) on first
 * use. Flink removes each checkpoint once a newer one completes and the job's last ones when it
 * ends; nothing here is meant to be resumed from (that is what {@code checkpointing.dir} is for).
 */
final class ScratchCheckpoints {
    private static Path dir;

    private ScratchCheckpoints() {}

    static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("fendersec-checkpoints-"); // 0700 on POSIX
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary folder for checkpoints (set "
                        + "checkpointing.dir): " + e.getMessage(), e);
            }
            dir.toFile().deleteOnExit();
        }
        return dir;
    }
}
