package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A YAML syntax error in a job file is one line: file, line:column, what is wrong; --verbose adds the parser's text. */
class JobYamlSyntaxErrorTest {
    @TempDir
    Path dir;

    record Result(int code, String err) {}

    static Result run(String... args) {
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream capture = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setErr(capture);
            int code = io.fendersec.cli.Main.run(args);
            capture.flush();
            return new Result(code, err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void aSyntaxErrorIsOneLineWithFileLineAndColumn() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "source:\n  url: http://x\n  - oops\n");
        String m = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> new JobSpecReader().read(f)).getMessage();
        assertThat(m).doesNotContain("\n").startsWith(f + ":3:3: not valid YAML: ").contains("expected <block end>");

        Path tab = Files.writeString(dir.resolve("tab.yaml"), "source:\n\turl: http://x\n");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> new JobSpecReader().read(tab)).getMessage()).doesNotContain("\n").startsWith(tab + ":2:1: not valid YAML: ");

        Path quote = Files.writeString(dir.resolve("quote.yaml"), "source:\n  url: \"http://x\n");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> new JobSpecReader().read(quote)).getMessage()).doesNotContain("\n")
                .matches(java.util.regex.Pattern.quote(quote.toString()) + ":\\d+:\\d+: not valid YAML: .+");
    }

    @Test
    void theCommandPrintsOneLineAndTheParsersTextOnlyWithVerbose() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "source:\n  url: http://x\n  - oops\n");
        Result plain = run("validate", f.toString());
        assertThat(plain.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(plain.err().lines()).hasSize(1);
        Result verbose = run("--verbose", "validate", f.toString());
        try {
            assertThat(verbose.code()).isEqualTo(ExitCode.CONFIG);
            assertThat(verbose.err().lines().count()).isGreaterThan(3);
            assertThat(verbose.err()).contains("MarkedYAMLException");
        } finally {
            org.apache.logging.log4j.core.config.Configurator.setLevel("io.fendersec", org.apache.logging.log4j.Level.INFO);
        }
    }
}
