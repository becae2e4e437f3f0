package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

class AlertFilesTest {
    @TempDir
    Path dir;

    static String lines(List<Alert> alerts) {
        StringBuilder b = new StringBuilder();
        alerts.forEach(a -> b.append(AlertJson.toJson(a)).append('\n'));
        return b.toString();
    }

    @Test
    void aFolderIsSearchedForCommittedPartFilesAndJsonl() throws Exception {
        List<Alert> demo = ReportFixtures.demo();
        // The layout FileSink leaves: bucket folders, committed part-* files, in-progress dot files.
        Path bucket = Files.createDirectories(dir.resolve("2026-03-01--10"));
        Files.writeString(bucket.resolve("part-0f3e-0"), lines(demo.subList(0, 4)));
        Files.writeString(bucket.resolve(".part-0f3e-1.inprogress.7a1c"), lines(demo.subList(4, 6)));
        Files.writeString(dir.resolve("extra.jsonl"), lines(demo.subList(6, 8)));
        Files.writeString(dir.resolve("notes.txt"), "not alerts\n");
        Path hidden = Files.createDirectories(dir.resolve(".staging"));
        Files.writeString(hidden.resolve("part-x-0"), lines(demo.subList(8, 10)));

        List<Path> files = AlertFiles.find(List.of(dir));
        assertThat(files).containsExactly(bucket.resolve("part-0f3e-0"), dir.resolve("extra.jsonl"));
        AlertFiles.Input in = AlertFiles.read(files);
        assertThat(in.alerts()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(demo.subList(0, 4).stream(), demo.subList(6, 8).stream()).toList());
        assertThat(in.badLineCount()).isZero();
    }

    @Test
    void aFileNamedExplicitlyIsReadWhateverItsName() throws Exception {
        Path f = Files.writeString(dir.resolve("alerts.out"), lines(ReportFixtures.demo().subList(0, 1)));
        assertThat(AlertFiles.read(AlertFiles.find(List.of(f))).alerts()).hasSize(1);
    }

    @Test
    void badLinesAreCountedWithFileAndLineAndNeverFatal() throws Exception {
        String good = AlertJson.toJson(ReportFixtures.demo().get(0));
        Path f = dir.resolve("part-a-0");
        Files.writeString(f, good + "\n{not json\n\n{\"rule_id\":\"x\"}\n[1,2]\n" + good.replace("\"count\":7,", "\"count\":-1,") + "\n");
        // A byte that is not UTF-8 spoils its own line only.
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(f, good + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        AlertFiles.Input in = AlertFiles.read(AlertFiles.find(List.of(dir)));
        assertThat(in.alerts()).hasSize(2);
        assertThat(in.badLineCount()).isEqualTo(5);
        assertThat(in.badLines()).extracting(AlertFiles.BadLine::line).containsExactly(2L, 4L, 5L, 6L, 7L);
        assertThat(in.badLines().get(0).toString()).startsWith(f + ":2: not JSON");
        assertThat(in.badLines().get(1).reason()).isEqualTo("not an alert: a required field is missing");
    }

    @Test
    void onlyTheFirstBadLinesAreKeptButAllAreCounted() throws Exception {
        Files.writeString(dir.resolve("x.jsonl"), "garbage\n".repeat(AlertFiles.KEPT_BAD_LINES + 5));
        AlertFiles.Input in = AlertFiles.read(AlertFiles.find(List.of(dir)));
        assertThat(in.badLineCount()).isEqualTo(AlertFiles.KEPT_BAD_LINES + 5);
        assertThat(in.badLines()).hasSize(AlertFiles.KEPT_BAD_LINES);
    }

    @Test
    void aMissingPathIsAConfigurationErrorNamingIt() {
        Path missing = dir.resolve("out/demo/alerts");
        assertThatThrownBy(() -> AlertFiles.find(List.of(missing))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }
}
