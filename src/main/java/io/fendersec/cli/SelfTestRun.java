package io.fendersec.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.selftest.RuleSelfTest;
import io.fendersec.detect.selftest.RuleTestCase;
import io.fendersec.detect.selftest.RuleTestFile;
import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;

/**
 * {@code fendersec rules test --self}: runs the examples beside the rule files and prints one line
 * per example, then the rule files without tests and the alerting rules no example expects.
 * Exit 0 when every example passes, 1 when one fails (as a bounded run that found something),
 * 2 (a {@code ConfigException}) for a malformed tests file or an example naming a rule not loaded.
 */
final class SelfTestRun {
    private SelfTestRun() {}

    static int run(RuleSet rules, List<RuleTestFile> files, Normalizer normalizer, DetectionSettings settings,
                   PrintWriter out) {
        RuleSelfTest selfTest = new RuleSelfTest(rules, normalizer, settings, Clock.systemUTC());
        // Every example is checked before any runs: a typo in a rule id is a bad file (exit 2), not a failure.
        files.forEach(f -> f.cases().forEach(selfTest::checkRuleIds));
        int passed = 0;
        int failed = 0;
        Set<String> expected = new LinkedHashSet<>();
        List<String> untested = new ArrayList<>();
        for (RuleTestFile f : files) {
            if (!f.hasTests()) {
                untested.add(f.ruleFile());
                continue;
            }
            for (RuleTestCase c : f.cases()) {
                RuleSelfTest.Outcome o = selfTest.run(c);
                expected.addAll(c.expect());
                if (o.passed()) {
                    passed++;
                } else {
                    failed++;
                }
                out.println(line(o));
            }
        }
        for (String f : untested) {
            out.println("NO TESTS " + TerminalText.line(f));
        }
        List<String> notExpected = new ArrayList<>();
        for (String id : rules.rules().keySet()) {
            if (rules.alertsOnItsOwn(id) && !expected.contains(id)) {
                notExpected.add(id);
            }
        }
        out.printf("%d example(s): %d passed, %d failed; %d rule file(s) without tests; rules no example expects to alert: %s%n",
                passed + failed, passed, failed, untested.size(),
                notExpected.isEmpty() ? "none" : TerminalText.line(String.join(", ", notExpected)));
        out.flush();
        return failed == 0 ? ExitCode.OK : ExitCode.ALERTS;
    }

    private static String line(RuleSelfTest.Outcome o) {
        RuleTestCase c = o.example();
        StringBuilder sb = new StringBuilder(o.passed() ? "PASS " : "FAIL ");
        sb.append(c.where()).append("  ").append(c.name());
        if (!c.expect().isEmpty()) {
            sb.append("  expect ").append(c.expect());
        }
        if (!c.expectNot().isEmpty()) {
            sb.append("  expect-not ").append(c.expectNot());
        }
        sb.append("  alerted ").append(o.alerted());
        if (!o.matched().isEmpty()) {
            sb.append("  matched ").append(o.matched());
        }
        if (!o.missing().isEmpty()) {
            sb.append("  MISSING ").append(o.missing());
        }
        if (!o.unwanted().isEmpty()) {
            sb.append("  UNWANTED ").append(o.unwanted());
        }
        return TerminalText.line(sb.toString());
    }
}
