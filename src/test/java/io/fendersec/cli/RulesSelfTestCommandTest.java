package io.fendersec.cli;

import static io.fendersec.cli.RulesCommandTest.RULES;
import static io.fendersec.cli.RulesCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.cli.RulesCommandTest.Result;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.selftest.RuleTestCase;
import io.fendersec.detect.selftest.RuleTestFile;
import io.fendersec.detect.selftest.RuleTestFiles;

/** {@code fendersec rules test --self}: the examples inside rules (docs/rules.md, "Tests inside rules"), as CI runs them. */
class RulesSelfTestCommandTest {
    /** Examples for {@link RulesCommandTest#RULES}: five failures from one address within 5 minutes are a brute force. */
    static final String TESTS = """
            start: 2026-03-01T10:00:00Z
            tests:
              - name: five failures from one address
                logs:
                  - {at: +0s, repeat: 5, every: 30s, device.udid: d1, text: 'login failed for bob from 203.0.113.{n}'}
                  - {at: +0s, repeat: 5, every: 30s, device.udid: d2, text: 'login failed for bob from 198.51.100.7'}
                expect: [brute-force, failed-login]
              - name: four failures
                logs:
                  - {at: +0s, repeat: 4, every: 30s, text: 'login failed for bob from 198.51.100.7'}
                expect: [failed-login]
                expect-not: [brute-force]
            """;

    @Test
    void theBuiltinPackPassesItsOwnExamplesAndEveryRuleHasThem() {
        Result r = run("rules", "test", "--self", "--builtin");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).doesNotContain("FAIL", "NO TESTS")
                .contains("0 failed; 0 rule file(s) without tests; rules no example expects to alert: none");

        RuleSet pack = RuleLoader.builtin();
        List<RuleTestFile> files = RuleTestFiles.builtin();
        // 13 files of the first pack, device-clock-behind (issue 27), login-failure-surge (issue 26), 8 of the
        // mobile pack (issue 30)
        assertThat(files).extracting(RuleTestFile::ruleFile).hasSize(23).allMatch(f -> f.startsWith("builtin:"));
        for (RuleTestFile f : files) {
            assertThat(f.cases()).as(f.ruleFile() + ": a must-match example").anyMatch(c -> !c.expect().isEmpty());
            assertThat(f.cases()).as(f.ruleFile() + ": a must-not-match example").anyMatch(c -> !c.expectNot().isEmpty());
        }
        // Every rule, alerting or feeding a correlation, must match in some example and stay quiet in another.
        Set<String> mustMatch = files.stream().flatMap(f -> f.cases().stream()).flatMap(c -> c.expect().stream())
                .collect(Collectors.toSet());
        Set<String> mustNot = files.stream().flatMap(f -> f.cases().stream()).flatMap(c -> c.expectNot().stream())
                .collect(Collectors.toSet());
        Set<String> alerting = pack.rules().keySet().stream().filter(pack::alertsOnItsOwn).collect(Collectors.toSet());
        assertThat(mustMatch).containsAll(alerting);
        assertThat(mustNot).containsAll(alerting);
        long passLines = r.out().lines().filter(l -> l.startsWith("PASS ")).count();
        assertThat(passLines).isEqualTo(files.stream().mapToLong(f -> f.cases().size()).sum());
    }

    /**
     * The metric correlation types and value_count over fields (issue 28) in examples/rules/metrics.yml:
     * its 11 examples (expectations worked out by hand in the file) pass, and every alerting rule of
     * it is expected to alert in one and not in another; two of them chain an event_count over the
     * value_sum (a second episode, not a longer first one, counts). Catches (each seen failing): a sum that
     * keeps what left the span, a percentile rank one too high, a median of an even count taken
     * as its upper middle number.
     */
    @Test
    void theMetricCorrelationExamplesPass() {
        Result r = run("rules", "test", "--self", "examples/rules/metrics.yml");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).doesNotContain("FAIL")
                .contains("11 example(s): 11 passed, 0 failed; 0 rule file(s) without tests;"
                        + " rules no example expects to alert: none");
    }

    @Test
    void aWrongExpectationFailsNamingTheExample(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Files.writeString(dir.resolve("r.tests.yml"), TESTS);
        Result ok = run("rules", "test", "--self", rules.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isEqualTo(0);
        assertThat(ok.out()).contains("PASS " + dir.resolve("r.tests.yml") + ":3  five failures from one address")
                .contains("matched [failed-login]");

        // must-match that does not: three failures cannot be a brute force
        Files.writeString(dir.resolve("r.tests.yml"), TESTS.replace("repeat: 5, every: 30s, device.udid: d2", "repeat: 3, every: 30s, device.udid: d2")
                .replace("203.0.113.{n}", "203.0.113.9").replace("repeat: 5, every: 30s, device.udid: d1", "repeat: 1, every: 30s, device.udid: d1"));
        Result missing = run("rules", "test", "--self", rules.toString());
        assertThat(missing.code()).as(missing.out() + missing.err()).isEqualTo(1);
        assertThat(missing.out()).containsPattern("FAIL \\S*r.tests.yml:3  five failures from one address .*MISSING \\[brute-force\\]")
                .contains("PASS " + dir.resolve("r.tests.yml") + ":8  four failures")
                .contains("2 example(s): 1 passed, 1 failed");

        // must-not-match that does: a fifth failure makes it a brute force
        Files.writeString(dir.resolve("r.tests.yml"), TESTS.replace("repeat: 4", "repeat: 5"));
        Result unwanted = run("rules", "test", "--self", rules.toString());
        assertThat(unwanted.code()).as(unwanted.out() + unwanted.err()).isEqualTo(1);
        assertThat(unwanted.out()).containsPattern("FAIL \\S*r.tests.yml:8  four failures .*UNWANTED \\[brute-force\\]");

        // a helper rule (counted by a correlation, never alerting) must not match: judged by its own matches
        Files.writeString(dir.resolve("r.tests.yml"), TESTS.replace("expect: [failed-login]", "expect-not: [failed-login]")
                .replace("expect-not: [brute-force]", "expect: [brute-force]"));
        Result helper = run("rules", "test", "--self", rules.toString());
        assertThat(helper.code()).as(helper.out() + helper.err()).isEqualTo(1);
        assertThat(helper.out()).containsPattern("FAIL \\S*r.tests.yml:8  four failures .*MISSING \\[brute-force\\]  UNWANTED \\[failed-login\\]");
    }

    @Test
    void aRuleFileWithoutExamplesIsListedNotFailed(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Result r = run("rules", "test", "--self", rules.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).contains("NO TESTS " + rules)
                .contains("0 example(s): 0 passed, 0 failed; 1 rule file(s) without tests; rules no example expects to alert: brute-force");
    }

    @Test
    void aFolderOfRulesAndExamplesLoadsOnlyTheRules(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/r.yml"), RULES);
        Files.writeString(dir.resolve("rules/r.tests.yml"), TESTS);
        Result self = run("rules", "test", "--self", dir.resolve("rules").toString());
        assertThat(self.code()).as(self.out() + self.err()).isEqualTo(0);
        assertThat(self.out()).contains("2 example(s): 2 passed");
        // and --logs over the same folder: a tests file read as a rule would be a bad rule (exit 2)
        Result logs = run("rules", "test", dir + "/rules/*.yml", "--logs", RulesCommandTest.logs(dir, 6).toString());
        assertThat(logs.code()).as(logs.err()).isEqualTo(1);
    }

    @Test
    void aMalformedTestsFileExitsTwoNamingTheKeyPath(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path tests = dir.resolve("r.tests.yml");

        Files.writeString(tests, TESTS.replace("every: 30s, text:", "evry: 30s, text:"));
        Result typo = run("rules", "test", "--self", rules.toString());
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains(tests + ":10: tests[1].logs[0].evry: unknown key (at, repeat, every, or a Bugfender log field");

        Files.writeString(tests, TESTS.replace("    expect-not: [brute-force]", "    expect-nit: [brute-force]"));
        Result caseKey = run("rules", "test", "--self", rules.toString());
        assertThat(caseKey.code()).isEqualTo(2);
        assertThat(caseKey.err()).contains(tests + ":12: tests[1].expect-nit: unknown key (expected name, start, logs, expect, expect-not)");

        Files.writeString(tests, TESTS.replace("at: +0s, repeat: 4", "at: 30 seconds, repeat: 4"));
        Result at = run("rules", "test", "--self", rules.toString());
        assertThat(at.code()).isEqualTo(2);
        assertThat(at.err()).contains(tests + ":10: tests[1].logs[0].at: expected +DURATION");

        Files.writeString(tests, TESTS.replace("expect: [brute-force, failed-login]", "expect: [brute-forse]"));
        Result unknownRule = run("rules", "test", "--self", rules.toString());
        assertThat(unknownRule.code()).isEqualTo(2);
        assertThat(unknownRule.err()).contains(tests + ":3: example 'five failures from one address' names rule 'brute-forse', which is not loaded");
        assertThat(unknownRule.out()).doesNotContain("PASS", "FAIL");

        Files.writeString(tests, "start: 2026-03-01T10:00:00Z\ncases: []\n");
        Result topKey = run("rules", "test", "--self", rules.toString());
        assertThat(topKey.code()).isEqualTo(2);
        assertThat(topKey.err()).contains(tests + ":2: cases: unknown key (expected start, tests)");

        Result named = run("rules", "test", "--self", tests.toString());
        assertThat(named.code()).isEqualTo(2);
        assertThat(named.err()).contains(tests + " holds examples, not rules: name the rule file beside it");

        Result withLogs = run("rules", "test", "--self", rules.toString(), "--logs", RulesCommandTest.logs(dir, 1).toString());
        assertThat(withLogs.code()).isEqualTo(2);
        assertThat(withLogs.err()).contains("leave out --logs");
    }

    /** Relative times, repeats and {n}: what the examples above rely on. */
    @Test
    void repeatsAreEveryApartAndNumbered() {
        List<RuleTestCase> cases = io.fendersec.detect.selftest.RuleTestReader.read("t.tests.yml", TESTS);
        assertThat(cases.get(0).logs()).hasSize(10);
        assertThat(cases.get(0).logs().get(0).getString("time")).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(cases.get(0).logs().get(2).getString("time")).isEqualTo("2026-03-01T10:01:00Z");
        assertThat(cases.get(0).logs().get(2).text()).isEqualTo("login failed for bob from 203.0.113.3");
        assertThat(cases.get(0).logs()).extracting(l -> l.uuid()).doesNotHaveDuplicates();
        assertThat(cases.get(1).where()).isEqualTo("t.tests.yml:8");
    }
}
