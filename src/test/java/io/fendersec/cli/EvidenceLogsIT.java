package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ExitCode;
import io.fendersec.model.Alert;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.report.AlertFiles;
import io.fendersec.sink.TestPostgres;

/**
 * {@code sinks.alerts[].evidence: logs} end to end: {@code fendersec run} of a bounded job over the
 * emulator's secret-in-log and brute-force attacks with an archive, a file sink with
 * {@code evidence: logs}, one with the default {@code ids}, and PostgreSQL with {@code logs}. The
 * evidence logs are checked against the archive (what the API returned), and the secrets against
 * the detection's own definition of a secret.
 */
class EvidenceLogsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TABLE = "it_evidence_logs";

    @TempDir
    static Path dir;
    static RunCommandIT.Run run;
    static Map<String, JsonNode> archive;

    @BeforeAll
    static void runJob() throws Exception {
        try (Connection c = TestPostgres.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
        Path password = dir.resolve("db-password");
        Files.writeString(password, TestPostgres.password() == null ? "" : TestPostgres.password());
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n"
                + "  emulator: {seed: 11, scenario: 'secret-in-log,brute-force', apps: 1, days: 1,"
                + " end: 2026-11-28T00:00:00Z, logs-per-day: 3000}\n"
                + "  mode: bounded\n  slice: 6h\n  page-size: 500\n"
                + "rules: {builtin: [all]}\n"
                + "sinks:\n  archive: {path: " + dir.resolve("archive") + "}\n"
                + "  alerts:\n"
                + "    - {type: file, path: " + dir.resolve("alerts-logs") + ", evidence: logs}\n"
                + "    - {type: file, path: " + dir.resolve("alerts-ids") + "}\n"
                + "    - {type: jdbc, url: '" + TestPostgres.url() + "', user: "
                + TestPostgres.user() + ", password: '${file:" + password + "}', table: " + TABLE
                + ", evidence: logs}\n"
                + "checkpointing: {interval: 1s}\nparallelism: 2\n");
        run = RunCommandIT.run("run", job.toString());
        archive = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("archive"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = JSON.readTree(line);
                    archive.put(n.get("uuid").asText(), n);
                }
            }
        }
    }

    static List<Alert> alerts(String folder) {
        return AlertFiles.read(AlertFiles.find(List.of(dir.resolve(folder)))).alerts();
    }

    @Test
    void theLogsSinkCarriesEachAlertsEvidenceLogsAsArchived() {
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.ALERTS);
        List<Alert> alerts = alerts("alerts-logs");
        assertThat(alerts).extracting(Alert::ruleId).contains("secret-in-log", "brute-force");
        for (Alert a : alerts) {
            assertThat(a.evidenceLogs()).as(a.ruleId()).isNotEmpty().hasSizeLessThanOrEqualTo(a.evidence().size());
            for (EvidenceLog l : a.evidenceLogs()) {
                assertThat(a.evidence()).contains(l.uuid());
                JsonNode raw = archive.get(l.uuid());
                assertThat(raw).as("evidence log %s in the archive", l.uuid()).isNotNull();
                assertThat(l.device()).isEqualTo(raw.get(LogFields.DEVICE_UDID).asText());
                assertThat(l.time()).isEqualTo(java.time.Instant.parse(raw.get(LogFields.TIME).asText()));
                assertThat(l.level()).isEqualTo(EvidenceLog.levelName(raw.get(LogFields.LOG_LEVEL).asInt()));
                assertThat(l.text().length()).isLessThanOrEqualTo(EvidenceLog.MAX_TEXT + 1);
                if (!a.ruleId().equals("secret-in-log")) {
                    assertThat(l.text()).isEqualTo(raw.get(LogFields.TEXT).asText());
                }
            }
        }
    }

    @Test
    void noSecretReachesTheSinkByTheSecretRulesOwnDefinition() {
        Normalizer detector = Normalizer.defaults();
        List<Alert> secrets = alerts("alerts-logs").stream().filter(a -> a.ruleId().equals("secret-in-log")).toList();
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(4);
        for (Alert a : secrets) {
            for (EvidenceLog l : a.evidenceLogs()) {
                String raw = archive.get(l.uuid()).get(LogFields.TEXT).asText();
                assertThat(detector.normalize(textLog(raw)).get("secret.kind")).as("the archived log holds a secret")
                        .isNotNull();
                assertThat(detector.normalize(textLog(l.text())).get("secret.kind")).as("redacted: %s", l.text())
                        .isNull();
                assertThat(l.text()).contains("[redacted ");
            }
        }
    }

    @Test
    void theIdsSinkHasTheSameAlertsWithoutEvidenceLogs() throws IOException {
        Map<String, List<String>> withLogs = alerts("alerts-logs").stream()
                .collect(Collectors.toMap(Alert::alertId, Alert::evidence, (x, y) -> y));
        List<Alert> ids = alerts("alerts-ids");
        assertThat(ids).allSatisfy(a -> assertThat(a.evidenceLogs()).isEmpty());
        assertThat(ids.stream().collect(Collectors.toMap(Alert::alertId, Alert::evidence, (x, y) -> y)))
                .isEqualTo(withLogs);
        try (Stream<Path> files = Files.walk(dir.resolve("alerts-ids"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).doesNotContain("evidence_logs");
            }
        }
    }

    @Test
    void postgresHasTheSameEvidenceLogsAsTheFile() throws Exception {
        Map<String, JsonNode> fromFile = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("alerts-logs"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = JSON.readTree(line);
                    fromFile.put(n.get("alert_id").asText(), n.get("evidence_logs"));
                }
            }
        }
        Map<String, JsonNode> fromDb = new HashMap<>();
        try (Connection c = TestPostgres.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT alert_id, evidence_logs::text FROM " + TABLE)) {
            while (rs.next()) {
                fromDb.put(rs.getString(1), JSON.readTree(rs.getString(2)));
            }
        }
        assertThat(fromDb).isNotEmpty().isEqualTo(fromFile);
    }

    private static LogRecord textLog(String text) {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put(LogFields.UUID, "u");
        f.put(LogFields.TEXT, text);
        return LogRecord.of(f);
    }
}
