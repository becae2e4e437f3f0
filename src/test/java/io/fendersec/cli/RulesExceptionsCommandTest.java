package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules list --exceptions} and {@code validate}: filters with their rules, exceptions with their status. */
class RulesExceptionsCommandTest {
    static final String FILTER = """
            title: Lab devices are rooted on purpose
            name: lab-devices
            logsource: {product: bugfender}
            filter:
              rules: [root-jailbreak]
              selection: {device.udid|startswith: 'lab-'}
              condition: not selection
            """;
    static final String EXCEPTIONS = """
            exceptions:
              - {id: ex-test-users, rule: brute-force, field: user.name, values: [qa-bot], reason: load tests}
              - {id: ex-old, rule: brute-force, field: source.ip, values: [10.0.0.0/8], expires: 2020-01-31}
            """;

    @Test
    void listShowsFiltersAndExceptionsWithTheirStatus(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("lab.yml"), FILTER);
        Path e = Files.writeString(dir.resolve("exceptions.yml"), EXCEPTIONS);
        RulesCommandTest.Result r = RulesCommandTest.run("rules", "list", "--sigma", f.toString(), "--exceptions", e.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Sigma filters (1):").containsPattern("lab-devices +on root-jailbreak")
                .contains("exceptions (2):")
                .containsPattern("ex-test-users +brute-force +user.name: qa-bot  active  reason: load tests")
                .containsPattern("ex-old +brute-force +source.ip: 10.0.0.0/8  expired after 2020-01-31");
    }

    @Test
    void validateChecksTheExceptionsFileAndWarnsOfExpiredOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("exceptions.yml"), EXCEPTIONS);
        Path job = Files.writeString(dir.resolve("job.yaml"), "source: {emulator: {}}\nrules: {exceptions: exceptions.yml}\n");
        RulesCommandTest.Result ok = RulesCommandTest.run("validate", job.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.err()).contains("warning: " + dir.resolve("exceptions.yml")
                + ": exceptions[1]: exception ex-old (brute-force) expired after 2020-01-31: it no longer applies");
        assertThat(ok.err()).doesNotContain("ex-test-users");

        Files.writeString(dir.resolve("exceptions.yml"), "exceptions:\n  - {rule: brute-force, field: user.name, values: [a], expires: 31/12/2026}\n");
        RulesCommandTest.Result bad = RulesCommandTest.run("validate", job.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains(dir.resolve("exceptions.yml")
                + ": exceptions[0].expires: expected a date YYYY-MM-DD, got '31/12/2026'");
    }

    // Issue 27 §4. Mutation caught: validate or rules list stays silent about an allow-all exception
    // (it reads as merely "active"), or the match-all refusal does not reach validate (exit 0).
    @Test
    void validateAndListWarnOfAllowAllAndValidateRefusesMatchAllWithoutIt(@TempDir Path dir) throws Exception {
        Path e = Files.writeString(dir.resolve("exceptions.yml"),
                "exceptions:\n  - {id: ex-all, rule: '*', field: source.ip, values: ['0.0.0.0/0'], allow-all: true, reason: staging}\n");
        Path job = Files.writeString(dir.resolve("job.yaml"), "source: {emulator: {}}\nrules: {exceptions: exceptions.yml}\n");
        String warning = "warning: " + e + ": exceptions[0]: exception ex-all silences every detection for every log"
                + " with source.ip (allow-all: true, reason: staging)";
        RulesCommandTest.Result ok = RulesCommandTest.run("validate", job.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.err()).contains(warning);
        assertThat(ok.out()).containsPattern("ex-all +\\* +source.ip: 0.0.0.0/0  active, ALLOWS ALL");

        RulesCommandTest.Result list = RulesCommandTest.run("rules", "list", "--exceptions", e.toString());
        assertThat(list.code()).isZero();
        assertThat(list.err()).contains(warning);

        Files.writeString(e, "exceptions:\n  - {rule: '*', field: source.ip, values: ['0.0.0.0/0'], reason: staging}\n");
        RulesCommandTest.Result bad = RulesCommandTest.run("validate", job.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains(e + ": exceptions[0].values[0]: '0.0.0.0/0' matches every source.ip");
    }
}
