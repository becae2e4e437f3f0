package io.fendersec.sink;

import static io.fendersec.sink.ArchivePermissionsTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;
import io.fendersec.model.EvidenceLog;

/**
 * Issue 26 §2 for the file sink, on a real MiniCluster job writing real files: device text that no
 * sink accepts (U+0000, lone surrogates in the group, the title, the app id and evidence text) is
 * written as U+FFFD in valid UTF-8 when it went through the sink-safe stage, as every job's alerts
 * do; an alert the sink still cannot write goes to the owner-only dead-letter file, and the others
 * are written.
 */
class FileSinkDeadLettersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Device-written values no sink accepts as they are, in every kind of field. */
    static Alert hostile(int n) {
        return TestAlerts.alert(n, 1).toBuilder().title("Secret \uD800 in log").app("app\u0000-1")
                .group(Map.of("source.ip", "203.0.113.9\u0000", "file", "a\uDC00b"))
                .evidenceLogs(List.of(EvidenceLog.of("u-" + n, TestAlerts.T0, "dev\u0000ice", "info", "password=\u0000 \uD83D")))
                .build();
    }

    private static List<String> lines(Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path f : tree(out)) {
            if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                byte[] bytes = Files.readAllBytes(f);
                // Valid UTF-8 or this throws (a strict decoder, not new String's silent replacement).
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                text.lines().forEach(lines::add);
            }
        }
        return lines;
    }

    /**
     * A real job: a plain alert and a hostile one through the sink-safe stage (as AlertSinkWiring sends
     * every alert). Expected by hand: both written as valid UTF-8, the hostile one with U+FFFD in each
     * field, nothing dead-lettered. Mutations caught: SinkSafeAlerts.clean skipping the app or the
     * evidence text (U+0000 then reaches the file as \u0000); the gate refusing a writable alert.
     */
    @Test
    void hostileTextIsWrittenSinkSafe(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("alerts");
        Path dl = dir.resolve("dead-letters");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        Alert plain = TestAlerts.alert(1, 1);
        Alert safe = SinkSafeAlerts.clean(hostile(2));
        DataStream<Alert> alerts = env.fromData(List.of(plain, safe), AlertTypeInfoFactory.TYPE);
        new FileSinkSettings(out.toString(), AlertFormat.JSON, true, dl.toString()).addTo(alerts, "alerts-file-test");
        env.execute("file-sink-sink-safe");

        List<String> lines = lines(out);
        assertThat(lines).hasSize(2);
        JsonNode written = lines.stream().map(FileSinkDeadLettersTest::json)
                .filter(n -> n.get("alert_id").asText().equals(safe.alertId())).findFirst().orElseThrow();
        assertThat(written.get("title").asText()).isEqualTo("Secret \uFFFD in log");
        assertThat(written.get("app").asText()).isEqualTo("app\uFFFD-1");
        assertThat(written.get("group").get("source.ip").asText()).isEqualTo("203.0.113.9\uFFFD");
        assertThat(written.get("group").get("file").asText()).isEqualTo("a\uFFFDb");
        JsonNode log = written.get("evidence_logs").get(0);
        assertThat(log.get("text").asText()).isEqualTo("password=\uFFFD \uFFFD");
        assertThat(log.get("device").asText()).isEqualTo("dev\uFFFDice");
        assertThat(String.join("\n", lines)).doesNotContain("\\u0000").doesNotContain("?");
        assertThat(dl).doesNotExist();
    }

    /**
     * The gate in front of the file sink, in Flink's operator harness: an alert whose text no UTF-8
     * encoder can write (a lone surrogate that escaped the sink-safe stage: between operators the
     * serializer already writes U+FFFD for it, so in a job it cannot reach here by that path) goes to
     * the owner-only dead-letter file and is not passed on; the others pass unchanged. Mutations
     * caught: the gate passing every alert (the sink then writes '?', silently); a refused alert
     * dropped without the dead-letter line.
     */
    @Test
    void anAlertTheSinkCannotWriteGoesToTheDeadLetterFile(@TempDir Path dir) throws Exception {
        Path dl = dir.resolve("dead-letters");
        Alert plain = TestAlerts.alert(1, 1);
        Alert unwritable = hostile(3);
        try (org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<Alert, Alert> h =
                new org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.StreamFlatMap<>(
                                new WritableAlerts(AlertFormat.JSON, dl.toString(), "alerts-file")))) {
            h.open();
            h.processElement(plain, 0);
            h.processElement(unwritable, 0);
            assertThat(h.extractOutputValues()).containsExactly(plain);
        }
        Path file = dl.resolve("alerts-file-0.jsonl");
        List<String> dead = Files.readAllLines(file);
        assertThat(dead).hasSize(1);
        JsonNode d = json(dead.get(0));
        assertThat(d.get("reason").asText()).isEqualTo("not writable as UTF-8 (a lone surrogate)");
        assertThat(d.get("alert").get("alert_id").asText()).isEqualTo(unwritable.alertId());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dl)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
