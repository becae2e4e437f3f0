package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;
import io.fendersec.model.EvidenceLog;

/**
 * The alert detail: evidence logs, the device timeline from the archive or else the evidence logs,
 * dashboard links; every text redacted, cut and with control and bidi characters made visible,
 * and the page's JSON unable to leave its script element.
 */
class AlertDetailsTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    static final String HOSTILE = "</script><script>alert(1)</script> \u202Egnp.exe <img src=x onerror=alert(2)>";
    static final UnaryOperator<String> REDACT = s -> s == null ? null : s.replace("SECRET", "[redacted x]");

    static Alert alert(List<EvidenceLog> logs) {
        return Alert.builder().alertId("a-1").ruleId("r").title("T").app("app-1").group(Map.of()).device("dev-1")
                .window(T.toEpochMilli(), T.plusSeconds(60).toEpochMilli())
                .seen(T.toEpochMilli(), T.plusSeconds(60).toEpochMilli()).count(2)
                .evidence(List.of("u-1", "u-2")).evidenceLogs(logs).build();
    }

    @Test
    void withoutArchiveTheTimelineIsTheEvidenceLogs() {
        Alert a = alert(List.of(EvidenceLog.of("u-2", T.plusSeconds(30).toEpochMilli(), "dev-1", "error", "second SECRET"),
                EvidenceLog.of("u-1", T.toEpochMilli(), "dev-1", "debug", HOSTILE + "x".repeat(5000))));
        DashboardLinks links = DashboardLinks.parse("https://dash.example/{app}/{device}/{log}", "k");
        AlertDetails.Detail d = AlertDetails.of(List.of(a), null, REDACT, links).alerts().get("a-1");
        assertThat(d.timelineFrom()).isEqualTo(AlertDetails.FROM_EVIDENCE);
        assertThat(d.evidence()).extracting(AlertDetails.Line::uuid).containsExactly("u-2", "u-1");
        assertThat(d.timeline()).extracting(AlertDetails.Line::uuid).containsExactly("u-1", "u-2");
        assertThat(d.evidence().get(0).text()).isEqualTo("second [redacted x]");
        String hostile = d.evidence().get(1).text();
        assertThat(hostile).doesNotContain("\u202E").contains("\\u202e");
        assertThat(hostile.length()).isLessThanOrEqualTo(EvidenceLog.MAX_TEXT + 10);
        assertThat(d.deviceLink()).isEqualTo("https://dash.example/app-1/dev-1/");
        assertThat(d.evidence().get(0).link()).isEqualTo("https://dash.example/app-1/dev-1/u-2");
    }

    @Test
    void theArchiveGivesTheDevicesTimelineAroundTheAlertRedacted(@TempDir Path dir) throws Exception {
        Path app = Files.createDirectories(dir.resolve("app=app-1"));
        Files.write(app.resolve("logs-0-0.jsonl"), List.of(
                line("u-0", T.minusSeconds(60), "dev-1", "before SECRET"),
                line("u-1", T, "dev-1", "evidence one"),
                line("u-x", T.plusSeconds(10), "dev-2", "another device"),
                line("u-2", T.plusSeconds(30), "dev-1", "evidence two"),
                line("u-far", T.plusSeconds(3600), "dev-1", "an hour later"),
                "not json"));
        Files.writeString(app.resolve(".logs-0-1.inprogress"), line("u-p", T, "dev-1", "uncommitted") + "\n");
        ArchiveTimeline archive = ArchiveTimeline.read(dir, Set.of(ArchiveTimeline.key("app-1", "dev-1")));
        AlertDetails.Detail d = AlertDetails.of(List.of(alert(List.of())), archive, REDACT, null).alerts().get("a-1");
        assertThat(d.timelineFrom()).isEqualTo(AlertDetails.FROM_ARCHIVE);
        assertThat(d.timeline()).extracting(AlertDetails.Line::uuid).containsExactly("u-0", "u-1", "u-2");
        assertThat(d.timeline()).extracting(AlertDetails.Line::evidence).containsExactly(false, true, true);
        assertThat(d.timeline().get(0).text()).isEqualTo("before [redacted x]");
        assertThat(d.evidence()).as("evidence: ids, but the archive has the texts").extracting(AlertDetails.Line::uuid)
                .containsExactly("u-1", "u-2");
        assertThat(d.deviceLink()).isNull();
    }

    @Test
    void hostileTextCannotLeaveThePagesDataBlock() {
        Alert a = alert(List.of(EvidenceLog.of("u-1", T.toEpochMilli(), "dev-1", "debug", HOSTILE)));
        AlertReport r = AlertReport.of("t", List.of(a), 1, 0, List.of(), 5, T);
        String page = HtmlReport.render(r, AlertDetails.of(List.of(a), null, REDACT, null));
        assertThat(page).doesNotContain("<script>alert(1)").doesNotContain("<img src=x").doesNotContain("\u202E");
        assertThat(page.split("</script>", -1)).as("only the page's own script elements end").hasSize(4);
    }

    static String line(String uuid, Instant t, String device, String text) {
        return "{\"uuid\":\"" + uuid + "\",\"app\":\"app-1\",\"device.udid\":\"" + device + "\",\"time\":\"" + t
                + "\",\"log_level\":4,\"text\":\"" + text + "\"}";
    }

    @Test
    void evidenceLogsJsonIsTheContractAndAbsentWithoutLogs() throws Exception {
        Alert a = alert(List.of(EvidenceLog.of("u-1", T.toEpochMilli(), "dev-1", "info", "hi")));
        String json = AlertJson.toJson(a);
        assertThat(json).contains("\"evidence_logs\":[{\"time\":\"2026-03-01T10:00:00Z\",\"device\":\"dev-1\","
                + "\"level\":\"info\",\"text\":\"hi\",\"uuid\":\"u-1\"}]");
        assertThat(AlertJson.fromJson(json)).isEqualTo(a);
        assertThat(AlertJson.toJson(a.withoutEvidenceLogs())).doesNotContain("evidence_logs");
    }
}
