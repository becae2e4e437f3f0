package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinks.archive.permissions}: private (the default) or umask. */
class ArchivePermissionsSpecTest {
    @TempDir
    Path dir;

    private JobSpec read(String archive) throws Exception {
        return new JobSpecReader().read(Files.writeString(dir.resolve("job.yaml"),
                "source:\n  emulator: {}\nsinks:\n  archive:\n" + archive));
    }

    @Test
    void privateByDefaultUmaskWhenAskedAnythingElseIsAnError() throws Exception {
        assertThat(read("    path: out/logs\n").sinks.privateArchive).isTrue();
        assertThat(read("    path: out/logs\n    permissions: umask\n").sinks.privateArchive).isFalse();
        assertThat(catchThrowable(() -> read("    path: out/logs\n    permissions: world\n")))
                .hasMessageContaining("sinks.archive.permissions: expected one of private | umask");
    }
}
