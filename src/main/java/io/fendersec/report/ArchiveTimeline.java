package io.fendersec.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.error.ConfigException;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.LogFields;

/**
 * The logs of some devices, read from a job's raw-log archive ({@code sinks.archive.path}: JSON
 * lines under {@code app=<id>/}, committed part files only; names starting with a dot are in
 * progress and skipped). Only the devices asked for are kept, so a large archive is streamed once
 * and costs memory for those devices' logs only. Lines that are not logs are skipped.
 */
public final class ArchiveTimeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per (app, device): that device's logs, sorted by time. Text as archived (raw: redact before showing). */
    private final Map<String, List<EvidenceLog>> byDevice;

    private ArchiveTimeline(Map<String, List<EvidenceLog>> byDevice) {
        this.byDevice = byDevice;
    }

    /** Reads the logs of {@code devices} ((app, device) keys from {@link #key}) from the archive at {@code dir}. */
    public static ArchiveTimeline read(Path dir, Set<String> devices) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("report: --archive " + dir + " is not a folder; name the job's sinks.archive.path");
        }
        Map<String, List<EvidenceLog>> out = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                readFile(f, devices, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive " + dir, e);
        }
        out.values().forEach(l -> l.sort(Comparator.comparingLong(EvidenceLog::timeMillis)));
        return new ArchiveTimeline(out);
    }

    private static void readFile(Path f, Set<String> devices, Map<String, List<EvidenceLog>> out) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // not a log: the alert report is no place to fail on the archive
                }
                if (n == null || !n.isObject()) {
                    continue;
                }
                String app = text(n, LogFields.APP);
                String device = text(n, LogFields.DEVICE_UDID);
                String key = key(app, device);
                if (device == null || !devices.contains(key)) {
                    continue;
                }
                long time;
                try {
                    // A device sets its own clock: "+999999999-12-31T23:59:59.999Z" parses as an
                    // Instant but has no epoch millisecond (toEpochMilli overflows). Such a log lies
                    // outside every alert's window (alerts are placed in epoch millis): skipped.
                    time = Instant.parse(text(n, LogFields.TIME)).toEpochMilli();
                } catch (DateTimeParseException | NullPointerException | ArithmeticException e) {
                    continue;
                }
                int level = n.path(LogFields.LOG_LEVEL).asInt(-1);
                // The raw text, cut generously here; the report redacts before it cuts to the shown length.
                String text = text(n, LogFields.TEXT);
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(EvidenceLog.of(text(n, LogFields.UUID),
                        time, device, EvidenceLog.levelName(level), text));
            }
        }
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The key of a device within an app. */
    public static String key(String app, String device) {
        return (app == null ? "" : app) + '\u001f' + device;
    }

    /**
     * The device's logs in {@code [from, to]}, at most {@code max}: the evidence first, then those
     * nearest to the window's middle; in time order.
     */
    List<EvidenceLog> around(String app, String device, Instant from, Instant to, List<String> evidence, int max) {
        List<EvidenceLog> all = byDevice.getOrDefault(key(app, device), List.of());
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        long mid = f / 2 + t / 2;
        Set<String> ev = new HashSet<>(evidence);
        List<EvidenceLog> in = new ArrayList<>();
        for (EvidenceLog l : all) {
            if (l.timeMillis() >= f && l.timeMillis() <= t) {
                in.add(l);
            }
        }
        if (in.size() > max) {
            in.sort(Comparator.comparing((EvidenceLog l) -> !ev.contains(l.uuid()))
                    .thenComparingLong(l -> Math.abs(l.timeMillis() - mid)));
            in = new ArrayList<>(in.subList(0, max));
        }
        in.sort(Comparator.comparingLong(EvidenceLog::timeMillis));
        return in;
    }
}
