package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ExitCode;

/**
 * {@code fendersec hunt} and a {@code source.type: archive} job through the command line, over an
 * archive written here by hand as an attacker (or a broken disk) might leave it. The rule: three
 * logs with "canary-7f3" on one device within 10 minutes. Every expectation is counted by hand
 * from the files below:
 * <ul>
 * <li>dev-9 has three readable canaries in the range: line 1, line 3 (its text holds an escaped
 *     U+0000) and the one line of a complete {@code .jsonl.gz}: one alert, exit 1;
 * <li>not logs (4): a raw NUL byte inside a string, {@code [1,2]}, nesting 70 deep, and the last
 *     line cut in the middle; over max-line-bytes (1); no usable time (2: "yesterday" and a year
 *     beyond epoch milliseconds); outside the range (1: 1970);
 * <li>never read: a hidden in-progress part file, notes.txt and a {@code .jsonl.gz} whose gzip
 *     header is not one (each holds three canaries of another device, which would alert);
 * <li>a gzip file cut short is read to its cut and counted, not a failed job.
 * </ul>
 *
 * <p>Mutations caught, seen failing: the range's end taken as inclusive (anEmptyRange: the gz
 * canary at 10:02:00 completes a burst, exit 1); a gzip file cut short failing the job instead of
 * being counted (EOFException not caught: exit 5). Seen with these files from the CLI (the mutated
 * class compiled over the jar): hidden files read (dev-5 alerts); a broken gzip header not skipped
 * (exit 5, "ZipException: Not in GZIP format"). By construction, not run as mutations: a line over
 * the limit parsed (counted as a log or not a log, not as too long); files without .jsonl read
 * (dev-4 alerts); unknown or API-only keys of a {@code source.type: archive} job accepted (exit not 2).
 */
class HuntCommandTest {
    @TempDir
    static Path dir;
    static Path archive;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void writeArchive() throws IOException {
        archive = dir.resolve("archive");
        Path app = Files.createDirectories(archive.resolve("app=app-h"));
        String huge = "A".repeat(2_000);
        String deep = "[".repeat(70) + "]".repeat(70);
        byte[] plain = String.join("\n",
                log("l1", "dev-9", "2026-03-01T10:00:00Z", "canary-7f3 one"),
                "{\"uuid\":\"nul\",\"device.udid\":\"dev-9\",\"time\":\"2026-03-01T10:00:30Z\",\"text\":\"canary-7f3 \u0000 raw\"}",
                log("l3", "dev-9", "2026-03-01T10:01:00Z", "canary-7f3 \\u0000 escaped"),
                log("big", "dev-9", "2026-03-01T10:01:10Z", "canary-7f3 " + huge),
                log("t1", "dev-9", "yesterday", "canary-7f3"),
                log("t2", "dev-9", "+999999999-12-31T23:59:59.999Z", "canary-7f3"),
                "[1,2]",
                "{\"uuid\":\"deep\",\"x\":" + deep + "}",
                "",
                log("crlf", "dev-8", "2026-03-01T11:00:00Z", "benign") + "\r",
                log("old", "dev-9", "1970-01-01T00:00:00Z", "canary-7f3"),
                "{\"uuid\":\"cut\",\"device.udid\":\"dev-9\",\"text\":\"canary-7f3").getBytes(StandardCharsets.UTF_8);
        Files.write(app.resolve("logs-1.jsonl"), plain);
        gzip(app.resolve("logs-2.jsonl.gz"), log("gz", "dev-9", "2026-03-01T10:02:00Z", "canary-7f3 gz") + "\n");
        // Hidden: the sink's in-progress files are ".logs-….jsonl.inprogress.<uuid>"; this one even ends in .jsonl.
        Files.writeString(app.resolve(".logs-5.jsonl"), burst("dev-5"));
        Files.writeString(app.resolve("notes.txt"), burst("dev-4"));
        Files.writeString(app.resolve("logs-6.jsonl.gz"), burst("dev-6")); // named gzip, is not
    }

    private static String log(String uuid, String device, String time, String text) {
        return "{\"uuid\":\"" + uuid + "\",\"app\":\"app-h\",\"device.udid\":\"" + device + "\",\"time\":\"" + time
                + "\",\"log_level\":0,\"text\":\"" + text + "\"}";
    }

    private static String burst(String device) {
        return log(device + "a", device, "2026-03-01T13:00:00Z", "canary-7f3") + "\n"
                + log(device + "b", device, "2026-03-01T13:01:00Z", "canary-7f3") + "\n"
                + log(device + "c", device, "2026-03-01T13:02:00Z", "canary-7f3") + "\n";
    }

    private static void gzip(Path f, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Path rule() throws IOException {
        Path rule = dir.resolve("canary.yml");
        Files.writeString(rule, """
                title: Canary seen
                name: hunt-canary
                logsource: {product: bugfender}
                detection:
                  sel:
                    text|contains: canary-7f3
                  condition: sel
                level: low
                ---
                title: Canary burst on one device
                name: hunt-canary-burst
                level: high
                correlation:
                  type: event_count
                  rules: [hunt-canary]
                  group-by: [device.udid]
                  timespan: 10m
                  condition: {gte: 3}
                """);
        return rule;
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void huntFindsTheOneBurstAndCountsEveryDamagedLine() throws IOException {
        Run r = run("hunt", rule().toString(), "--archive", archive.toString(), "--from", "2026-03-01T00:00:00Z",
                "--to", "2026-03-02T00:00:00Z", "--set", "source.archive.max-line-bytes=1024");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.ALERTS);
        assertThat(r.out()).contains("hunt-canary-burst").contains("dev-9")
                .doesNotContain("dev-4").doesNotContain("dev-5").doesNotContain("dev-6");
        assertThat(r.err()).contains("read 4 logs")
                .contains("hunt-canary-burst", "high")
                .contains("archive: lines that are not a log, skipped: 4")
                .contains("archive: lines over source.archive.max-line-bytes, skipped: 1")
                .contains("archive: logs without a usable time, skipped: 2")
                .contains("archive: logs outside the range: 1")
                .doesNotContain("cut short");
    }

    @Test
    void anEmptyRangeExitsZero() throws IOException {
        // [10:00:30, 10:02:00) holds l3 and "big" (read: the default line limit is 8 MiB), both dev-9
        // canaries: two, no burst; the gz canary at 10:02:00 is the range's end, excluded.
        Run r = run("hunt", rule().toString(), "--archive", archive.toString(), "--from", "2026-03-01T10:00:30Z",
                "--to", "2026-03-01T10:02:00Z");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).contains("read 2 logs").contains("alerts: none")
                .contains("archive: logs outside the range: 4"); // l1, crlf, old, gz
    }

    @Test
    void aGzipFileCutShortIsReadToItsCutAndCounted(@TempDir Path other) throws IOException {
        Path app = Files.createDirectories(other.resolve("app=app-h"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            text.append(log("b" + i, "dev-1", "2026-03-01T09:00:00Z", "benign " + i)).append('\n');
        }
        text.append(burst("dev-2"));
        Path whole = other.resolve("whole.gz");
        gzip(whole, text.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(app.resolve("logs-1.jsonl.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.delete(whole);

        Run r = run("hunt", rule().toString(), "--archive", other.toString(), "--from", "2026-03-01T00:00:00Z",
                "--to", "2026-03-02T00:00:00Z");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).contains("archive: compressed files cut short (read up to the cut): 1");
    }

    @Test
    void anArchiveJobFileRunsThroughRun() throws IOException {
        rule();
        Path job = dir.resolve("retrohunt.yaml");
        Files.writeString(job, """
                source:
                  type: archive
                  archive:
                    dir: archive
                    max-line-bytes: 1024
                  from: 2026-03-01T00:00:00Z
                  to: 2026-03-02T00:00:00Z
                rules:
                  builtin: []
                  sigma: canary.yml
                """);
        Run found = run("run", job.toString());
        assertThat(found.exit()).as(found.err()).isEqualTo(ExitCode.ALERTS);
        assertThat(found.out()).contains("hunt-canary-burst");

        Run clean = run("run", job.toString(), "--set", "source.from=2026-03-01T10:00:30Z",
                "--set", "source.to=2026-03-01T10:02:00Z");
        assertThat(clean.exit()).as(clean.err()).isEqualTo(ExitCode.OK);
    }

    @Test
    void archiveJobFilesNameTheirWrongKeys() throws IOException {
        Path job = dir.resolve("wrong.yaml");
        Files.writeString(job, """
                source:
                  type: archive
                  url: https://dashboard.bugfender.com
                  archive:
                    dri: archive
                rules:
                  builtin: []
                """);
        Run r = run("run", job.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("source.url").contains("not used with source.type: archive")
                .contains("source.archive.dri").contains("source.archive.dir");

        Path missing = dir.resolve("missing.yaml");
        Files.writeString(missing, "source:\n  type: archive\n  archive: {dir: no-such-folder}\n");
        Run m = run("run", missing.toString());
        assertThat(m.exit()).isEqualTo(ExitCode.CONFIG);
        assertThat(m.err()).contains("source.archive.dir").contains("no-such-folder");

        Path self = dir.resolve("self.yaml");
        Files.writeString(self, "source:\n  type: archive\n  archive: {dir: archive}\nsinks:\n  archive: {path: archive}\n");
        Run s = run("run", self.toString());
        assertThat(s.exit()).isEqualTo(ExitCode.CONFIG);
        assertThat(s.err()).contains("sinks.archive.path");
    }
}
