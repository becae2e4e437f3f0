package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.error.ExitCode;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * What a user sees when a source reader fails on the local MiniCluster: {@code fendersec run} in a
 * JVM of its own with the shipped logging configuration ({@code log4j2.xml}; the test classpath's
 * {@code log4j2-test.xml} is left out), against the emulator. The reader meets a page over
 * {@code source.limits.max-page-bytes}: the run ends with exit 2 and one line, no stack trace; with
 * {@code --verbose} the fetcher's trace is there.
 */
class ReaderFailureOutputTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Instant FROM = END.minus(Duration.ofDays(1));
    static final String SECRET = "cs-out-51b2";

    @TempDir
    static Path dir;
    static BugfenderEmulator emu;
    static Path job;

    @BeforeAll
    static void start() throws Exception {
        emu = BugfenderEmulator.builder().seed(5).apps(1).days(1).end(END).logsPerDay(2_000)
                .clientSecret("cs", SECRET, List.of()).start();
        String app = emu.apps().get(0).id();
        // The oldest log of the range is 2 MB: on the reader's first page (oldest first), far from the
        // newest page, which the enumerator fetches to fix the snapshot.
        emu.append(app, List.of(LogRecord.builder().put(LogFields.UUID, "big").put(LogFields.APP, app)
                .put(LogFields.DEVICE_UDID, "dev-1").put(LogFields.TEXT, "x".repeat(2 << 20))
                .put(LogFields.LOG_LEVEL, 4L).put(LogFields.TIME, FROM.plusMillis(1).toString()).build()));
        Files.writeString(dir.resolve("secret"), SECRET + "\n");
        job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n  url: " + emu.baseUrl() + "\n"
                + "  auth: {method: client-secret, client-id: cs, client-secret: '${file:" + dir.resolve("secret") + "}'}\n"
                + "  limits: {max-page-bytes: 1048576}\n"
                + "  from: " + FROM + "\n  to: " + END + "\n  slice: 1d\n  page-size: 100\n"
                + "rules: {builtin: []}\n");
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void aReaderFailureIsOneLineAndItsTraceOnlyUnderVerbose() throws Exception {
        Result quiet = fendersec("run", job.toString());
        assertThat(quiet.exit).as(quiet.err).isEqualTo(ExitCode.CONFIG);
        assertThat(quiet.err).contains("source.limits.max-page-bytes");
        assertThat(quiet.err).as("stderr of a quiet run").doesNotContain("\tat ", "Exception:", "ERROR");
        List<String> lines = quiet.err.lines().filter(l -> l.contains("max-page-bytes")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("fendersec: ");

        Result verbose = fendersec("--verbose", "run", job.toString());
        assertThat(verbose.exit).as(verbose.err).isEqualTo(ExitCode.CONFIG);
        assertThat(verbose.err).contains("SplitFetcherManager", "\tat ", "source.limits.max-page-bytes");
    }

    record Result(int exit, String err) {}

    /** The CLI in its own JVM, on the main classpath: the shipped log4j2.xml, not the tests'. */
    static Result fendersec(String... args) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", cp,
                // Test jars on the classpath bring log4j2-test files, which log4j would prefer.
                "-Dlog4j2.configurationFile=" + Main.class.getResource("/log4j2.xml"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fendersec " + String.join(" ", args) + " did not end\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
