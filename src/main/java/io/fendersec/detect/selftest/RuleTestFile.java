package io.fendersec.detect.selftest;

import java.util.List;

/**
 * A rule file and its examples ({@code NAME.tests.yml} beside {@code NAME.yml}; docs/rules.md,
 * "Tests inside rules").
 *
 * @param ruleFile the rule file, as the user named it or {@code builtin:NAME.yml}
 * @param tests    the tests file, or null when the rule file has none
 * @param cases    its examples, in file order; empty when there is no tests file
 */
public record RuleTestFile(String ruleFile, String tests, List<RuleTestCase> cases) {
    public RuleTestFile {
        cases = List.copyOf(cases);
    }

    public boolean hasTests() {
        return tests != null;
    }
}
