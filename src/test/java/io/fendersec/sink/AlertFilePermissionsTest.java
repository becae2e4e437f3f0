package io.fendersec.sink;

import static io.fendersec.sink.ArchivePermissionsTest.OWNER_ONLY;
import static io.fendersec.sink.ArchivePermissionsTest.OWNER_READ_WRITE;
import static io.fendersec.sink.ArchivePermissionsTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;

/**
 * Issue 27 §3: alert files name accounts and addresses and, with {@code evidence: logs}, carry log
 * text. A real FileSink job on a MiniCluster writes them: folders 0700 and files 0600 by default
 * (the job's {@code permissions: private}), the process umask with {@code permissions: umask}.
 */
class AlertFilePermissionsTest {
    static Alert alert(String rule) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return Alert.builder().alertId(Alert.idFor(rule, "app-1", Map.of(), t.toEpochMilli()))
                .ruleId(rule).title(rule).severity("high").app("app-1").window(t.toEpochMilli(), t.toEpochMilli())
                .seen(t.toEpochMilli(), t.toEpochMilli()).count(1).build();
    }

    static void write(Path out, boolean ownerOnly) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(List.of(alert("a"), alert("b")), TypeInformation.of(Alert.class))
                .sinkTo(AlertSinks.jsonLinesFile(out.toString(), AlertFormat.JSON, ownerOnly));
        env.execute("alert-file-permissions");
    }

    // Mutation caught: the file sink built without the owner-only bucket assigner and encoder (as
    // before: files 0644 and folders 0755 under a 022 umask). Seen failing before the fix.
    @Test
    void alertFilesAndFoldersAreOwnerOnlyByDefault(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out/alerts");
        Files.createDirectories(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        write(out, true);
        List<Path> all = tree(out);
        assertThat(all.stream().filter(Files::isRegularFile)).isNotEmpty();
        for (Path p : all) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
                    .isEqualTo(Files.isDirectory(p) ? OWNER_ONLY : OWNER_READ_WRITE);
        }
    }

    // Mutation caught: permissions: umask ignored (owner-only forced anyway).
    @Test
    void umaskLeavesThemToTheProcessDefaults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("alerts");
        write(out, false);
        List<Path> files = tree(out).stream().filter(Files::isRegularFile).toList();
        assertThat(files).isNotEmpty();
        // The build runs with a umask that lets group read (022 or 002).
        for (Path p : files) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).contains(PosixFilePermission.GROUP_READ);
        }
    }
}
