package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules list} and {@code validate}: a hostile rule is one line and exit 2; skipped rules are shown with why. */
class RulesCommandHostileTest {
    @TempDir
    Path dir;

    @Test
    void aHostileRuleIsOneLineAndExitTwo() throws Exception {
        Path f = dir.resolve("bad.yml");
        Files.writeString(f, "title: t\nid: h1\ndetection:\n  s: {text|re: '((((a{100}){100}){100}){100})'}\n"
                + "  condition: s\n");
        RulesCommandTest.Result r = RulesCommandTest.run("rules", "list", "--sigma", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("bad.yml:4").contains("too large");
    }

    @Test
    void listAndValidateShowSkippedRulesAndWhy() throws Exception {
        Path f = dir.resolve("zeek.yml");
        Files.writeString(f, "title: Zeek weird\nid: z1\nlogsource: {product: zeek, service: weird}\n"
                + "detection:\n  selection: {name: x}\n  condition: not selection\n");
        RulesCommandTest.Result r = RulesCommandTest.run("rules", "list", "--no-builtin", "--sigma", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("skipped 1 rule").contains("z1").contains("logsource product 'zeek'");
        assertThat(List.of(r.out().split("\n"))).noneMatch(l -> l.startsWith("z1 "));

        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n  emulator: {seed: 1}\nrules:\n  builtin: []\n  sigma: [zeek.yml]\n");
        RulesCommandTest.Result v = RulesCommandTest.run("validate", job.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("skipped 1 rule").contains("z1").contains("'zeek'");
    }
}
