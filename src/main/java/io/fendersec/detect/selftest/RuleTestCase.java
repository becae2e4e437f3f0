package io.fendersec.detect.selftest;

import java.util.List;

import io.fendersec.model.LogRecord;

/**
 * One example of a rule file's tests: logs, and the rules that must and must not alert on them.
 *
 * @param name       what the example shows, as the tests file says
 * @param where      "file:line" of the example, for reports
 * @param logs       the logs, relative times resolved and repeats expanded
 * @param expect     rule ids that must alert (or, for a rule that only feeds correlations, match)
 * @param expectNot  rule ids that must not
 */
public record RuleTestCase(String name, String where, List<LogRecord> logs, List<String> expect, List<String> expectNot) {
    public RuleTestCase {
        logs = List.copyOf(logs);
        expect = List.copyOf(expect);
        expectNot = List.copyOf(expectNot);
    }
}
