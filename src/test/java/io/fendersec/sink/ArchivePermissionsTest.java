package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * The raw archive holds what apps leak: its folders are owner-only (0700) and its files 0600
 * unless the job says {@code permissions: umask}. A real FileSink job on a MiniCluster writes them.
 */
class ArchivePermissionsTest {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    static LogRecord log(String app, int i) {
        return LogRecord.builder().put("uuid", "u" + i).put(LogFields.APP, app)
                .put(LogFields.TEXT, "Authorization: Bearer eyJhbGciOi.secret." + i).build();
    }

    static void write(Path archive, boolean privateFolders) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(List.of(log("app-1", 1), log("app-2", 2), log("app-1", 3)), LogRecordTypeInfo.INSTANCE)
                .sinkTo(ArchiveSink.create(archive.toString(), privateFolders));
        env.execute("archive-permissions");
    }

    static List<Path> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.toList();
        }
    }

    @Test
    void archiveFoldersAreOwnerOnlyEvenUnderALooseExistingParent(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("out/logs");
        // An archive folder left world-readable by an earlier run is tightened too.
        Files.createDirectories(archive, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxr-xr-x"));
        write(archive, true);
        List<Path> all = tree(archive);
        assertThat(all.stream().filter(p -> p.getFileName().toString().startsWith("logs-"))).hasSize(2);
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(OWNER_ONLY);
            } else {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(OWNER_READ_WRITE);
            }
        }
        assertThat(all).contains(archive.resolve("app=app-1"), archive.resolve("app=app-2"));
    }

    @Test
    void umaskLeavesFoldersToTheProcessDefaults(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("logs");
        write(archive, false);
        // The build runs with a umask that lets group read (022 or 002): nothing made them owner-only.
        assertThat(Files.getPosixFilePermissions(archive.resolve("app=app-1"))).contains(PosixFilePermission.GROUP_READ);
        List<Path> parts = tree(archive).stream().filter(Files::isRegularFile).toList();
        assertThat(parts).hasSize(2);
        for (Path p : parts) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).contains(PosixFilePermission.GROUP_READ);
        }
    }

    @Test
    void aLooseFileLeftInAnAppFolderIsTightenedWhenTheNextPartFileOpens(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("logs/app=app-1");
        Files.createDirectories(folder);
        Path earlier = Files.writeString(folder.resolve("logs-old-0.jsonl"), "{}\n");
        Files.setPosixFilePermissions(earlier, PosixFilePermissions.fromString("rw-r--r--"));
        write(dir.resolve("logs"), true);
        assertThat(Files.getPosixFilePermissions(earlier)).isEqualTo(OWNER_READ_WRITE);
    }
}
