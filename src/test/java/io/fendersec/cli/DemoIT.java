package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fendersec demo} (the launcher README's first command names) from a folder that is not
 * the project, as a new user runs it: it ends by itself, finds every labeled attack with no false
 * alert, writes ./out/demo, and its closing "next:" line is a command that works from that folder.
 */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void demoFindsEveryLabeledAttackAndWritesOutDemo() throws Exception {
        Path launcher = Path.of("fendersec").toAbsolutePath();
        ShadedJarIT.Result r = ShadedJarIT.exec(dir, "bash", launcher.toString(), "demo");
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher recall = Pattern.compile("recall: (\\d+)/(\\d+) labels").matcher(r.out());
        assertThat(recall.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(recall.group(2))).isGreaterThanOrEqualTo(20);
        assertThat(recall.group(1)).as(r.out()).isEqualTo(recall.group(2));
        assertThat(r.out()).contains("false alerts: 0", "brute-force", "secret-in-log");
        assertThat(dir.resolve("out/demo/labels.jsonl")).isRegularFile();
        try (var files = Files.walk(dir.resolve("out/demo/alerts"))) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")))
                    .isNotEmpty();
        }
        // The jar was fresh, so the launcher ran it without building.
        assertThat(r.err()).doesNotContain("building");

        Matcher next = Pattern.compile("(?m)^next: (.+)$").matcher(r.out());
        assertThat(next.find()).as(r.out()).isTrue();
        assertThat(next.group(1)).startsWith(launcher + " report out/demo/alerts");
        ShadedJarIT.Result report = ShadedJarIT.exec(dir, "bash", "-c", next.group(1));
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(dir.resolve("out/demo/report.html")).isNotEmptyFile();
    }
}
