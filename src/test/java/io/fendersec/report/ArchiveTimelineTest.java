package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.EvidenceLog;

/** The raw-log archive read for {@code fendersec report --archive}, with device clocks an attacker sets. */
class ArchiveTimelineTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /**
     * Times that parse as an Instant but have no epoch millisecond (the largest and smallest
     * Instant) are skipped; the device's other logs are read.
     * Mutation caught: {@code Instant.parse(...).toEpochMilli()} without catching the overflow —
     * {@code ArithmeticException: long overflow} ends the whole report.
     */
    @Test
    void aLogDatedBeyondTheEpochMillisecondRangeIsSkipped(@TempDir Path dir) throws Exception {
        Path app = Files.createDirectories(dir.resolve("app=app-1"));
        Files.write(app.resolve("logs-0-0.jsonl"), List.of(
                AlertDetailsTest.line("u-max", Instant.MAX, "dev-1", "far future"),
                "{\"uuid\":\"u-lit\",\"app\":\"app-1\",\"device.udid\":\"dev-1\","
                        + "\"time\":\"+999999999-12-31T23:59:59.999Z\",\"log_level\":4,\"text\":\"x\"}",
                AlertDetailsTest.line("u-min", Instant.MIN, "dev-1", "far past"),
                AlertDetailsTest.line("u-1", T, "dev-1", "a real one")));
        ArchiveTimeline archive = ArchiveTimeline.read(dir, Set.of(ArchiveTimeline.key("app-1", "dev-1")));
        assertThat(archive.around("app-1", "dev-1", Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE), List.of(), 10))
                .extracting(EvidenceLog::uuid).containsExactly("u-1");
    }
}
