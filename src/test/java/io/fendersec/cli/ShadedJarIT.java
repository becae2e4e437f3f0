package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs target/fendersec.jar with plain {@code java -jar}, as a user does. */
class ShadedJarIT {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("fendersec.jar", "target/fendersec.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(jar).toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return exec(workDir, cmd.toArray(String[]::new));
    }

    /** Runs any command in {@code workDir}, as a user's shell would, and waits for it. */
    static Result exec(Path workDir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile())
                .redirectError(workDir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("process ended").isTrue();
        return new Result(p.exitValue(), Files.readString(workDir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndExitCodes() throws Exception {
        Result r = run(dir, "--help");
        assertThat(r.exit).isZero();
        assertThat(r.out).contains("emulator", "validate", "Exit codes", "authentication or authorization refused");
    }

    @Test
    void unknownOptionIsAConfigurationError() throws Exception {
        assertThat(run(dir, "--no-such-option").exit).isEqualTo(2);
    }

    @Test
    void validateReportsEveryErrorWithItsKeyPathAndExitsTwo() throws Exception {
        Files.writeString(dir.resolve("job.yaml"), "source:\n  url: http://127.0.0.1:8090\n  form: -24h\n"
                + "  auth: {method: client-secret, client-id: cs-1, client-secret: '${env:FENDERSEC_IT_UNSET}'}\n");
        Result r = run(dir, "validate", "job.yaml");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err.lines()).anyMatch(l -> l.contains("source.form: unknown key (did you mean source.from?)"))
                .anyMatch(l -> l.contains("source.auth.client-secret: environment variable FENDERSEC_IT_UNSET is not set"));
        assertThat(r.err).doesNotContain("Exception");
    }

    @Test
    void validateAcceptsAGoodSpec() throws Exception {
        Files.writeString(dir.resolve("job.yaml"), "source:\n  emulator: {seed: 1}\n  mode: bounded\n");
        Result r = run(dir, "validate", "job.yaml");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("valid");
    }
}
