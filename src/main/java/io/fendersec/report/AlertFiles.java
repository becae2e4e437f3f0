package io.fendersec.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * Reads alert JSON lines from files and folders as the file sink leaves them.
 *
 * <p>A folder is searched recursively for committed part files ({@code part-*}) and {@code .jsonl}
 * files. Anything whose name, or whose folder's name, starts with a dot is skipped: FileSink
 * writes in-progress files as {@code .part-…inprogress…}, and reading them would show alerts a
 * restarted job may still retract. A file named explicitly is read whatever its name: the user
 * asked for it.
 *
 * <p>Alert fields come from logs, so a line may be anything: a line that does not parse as an
 * alert is counted and kept as a {@link BadLine}, never fatal.
 */
public final class AlertFiles {
    /** Bad lines kept with their reason; beyond this only the count grows, so a garbage file cannot fill memory. */
    static final int KEPT_BAD_LINES = 20;

    private AlertFiles() {}

    /** One line that was not an alert. */
    public record BadLine(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    /** What was read: the alerts in file order, the files read, and the bad lines. */
    public record Input(List<Alert> alerts, List<Path> files, long badLineCount, List<BadLine> badLines) {}

    /** The files to read for the given paths, in a stable order; a missing path is a configuration error. */
    public static List<Path> find(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                files.addAll(committedFilesUnder(p));
            } else if (Files.isRegularFile(p)) {
                if (!Files.isReadable(p)) {
                    throw new ConfigException("report: cannot read alerts file " + p + "; check its permissions");
                }
                files.add(p);
            } else {
                throw new ConfigException("report: alerts path " + p + " does not exist; pass the alerts folder a job's "
                        + "file sink writes (e.g. out/demo/alerts) or alert .jsonl files");
            }
        }
        return files;
    }

    private static List<Path> committedFilesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> !hiddenBelow(dir, f))
                    .filter(f -> isAlertFileName(f.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException("report: cannot list alerts folder " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isAlertFileName(String name) {
        return !name.startsWith(".") && (name.startsWith("part-") || name.endsWith(".jsonl"));
    }

    /** True when any path element between {@code root} (exclusive) and {@code f} starts with a dot. */
    private static boolean hiddenBelow(Path root, Path f) {
        for (Path part : root.relativize(f)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Reads every line of every file; blank lines are not counted as bad (files end with a newline). */
    public static Input read(List<Path> files) {
        List<Alert> alerts = new ArrayList<>();
        List<BadLine> bad = new ArrayList<>();
        long badCount = 0;
        for (Path f : files) {
            // A decoding reader that replaces malformed bytes: a corrupt byte spoils one line, not the run.
            try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8))) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        alerts.add(AlertJson.fromJson(line));
                    } catch (RuntimeException e) {
                        badCount++;
                        if (bad.size() < KEPT_BAD_LINES) {
                            bad.add(new BadLine(f, n, reason(e)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new ConfigException("report: cannot read alerts file " + f + ": " + e.getMessage(), e);
            }
        }
        return new Input(alerts, files, badCount, bad);
    }

    /**
     * A short reason: fromJson fails with a NullPointerException when a field is missing, which says
     * nothing to a reader, so that case is named plainly.
     */
    private static String reason(RuntimeException e) {
        if (e instanceof NullPointerException) {
            return "not an alert: a required field is missing";
        }
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String msg = String.valueOf(t.getMessage());
        int nl = msg.indexOf('\n');
        String first = nl < 0 ? msg : msg.substring(0, nl);
        return (t instanceof com.fasterxml.jackson.core.JsonProcessingException ? "not JSON: " : "not an alert: ")
                + (first.length() > 160 ? first.substring(0, 160) + "…" : first);
    }
}
