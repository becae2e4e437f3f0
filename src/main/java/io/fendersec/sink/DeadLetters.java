package io.fendersec.sink;

import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * Where an alert goes that a sink refuses for what it holds (a constraint, a value the store will not
 * take), so that one alert never takes the others with it: one JSON line per alert, the alert and
 * why it was refused, in an owner-only file (0600) in an owner-only folder (0700), one file per sink
 * and subtask. Used by every alert sink but the console (JDBC, webhook, Kafka, file), the same
 * format everywhere: {@code {"reason": ..., "alert": {alert JSON}}}. Alerts hold what devices leaked; nobody else may read them (docs/alert-delivery.md).
 */
public final class DeadLetters implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** The default folder, relative to the working directory. */
    public static final String DEFAULT_DIR = "dead-letters";

    private final String dir;

    public DeadLetters(String dir) {
        this.dir = dir == null ? DEFAULT_DIR : dir;
    }

    public String dir() {
        return dir;
    }

    /** The file of {@code sink} (its uid or name) in subtask {@code subtask}. */
    public Path file(String sink, int subtask) {
        return Path.of(dir, sink + "-" + subtask + ".jsonl");
    }

    /** Appends {@code alert} and {@code reason} to {@code file}, creating folder and file owner-only. */
    public static void write(Path file, Alert alert, String reason) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        Files.setPosixFilePermissions(folder, OWNER_ONLY_DIR);
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        ObjectNode line = JSON.createObjectNode();
        line.put("reason", reason);
        // Sink-safe, so that the file itself is valid UTF-8 JSON whatever was refused (the reason says what).
        line.set("alert", AlertJson.toNode(SinkSafeAlerts.clean(alert)));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            w.write(JSON.writeValueAsString(line));
            w.write('\n');
        }
    }
}
