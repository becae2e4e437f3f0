package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.fendersec.job.RunResult;

/** The run summary names every filter and exception with the matches it dropped, zeros included. */
class RunSummaryDroppedTest {
    @Test
    void eachExceptionAndFilterHasALine() {
        Map<String, Long> dropped = new TreeMap<>(Map.of("exception ex-test-users (brute-force)", 12L,
                "exception ex-old (brute-force)", 0L, "filter lab (root-jailbreak)", 3L,
                "exception evil\u001b[2J (x)", 1L));
        RunResult r = new RunResult(Map.of("app-1", 100L), Map.of("brute-force|high", 1L), Map.of(), Duration.ofSeconds(1),
                null, dropped);
        StringWriter out = new StringWriter();
        RunCommand.printSummary(r, new PrintWriter(out));
        assertThat(out.toString()).contains("exception ex-test-users (brute-force): 12 matches dropped\n")
                .contains("exception ex-old (brute-force): 0 matches dropped\n")
                .contains("filter lab (root-jailbreak): 3 matches dropped\n")
                .doesNotContain("\u001b");
    }

    @Test
    void liveRuleChangesHaveALineWhenThereWereAny() {
        RunResult r = new RunResult(Map.of("app-1", 100L), Map.of(), new TreeMap<>(Map.of("ruleChangesApplied", 2L,
                "rulesRestartedEmpty", 1L, "ruleReloadFailures", 1L)), Duration.ofSeconds(1), null, Map.of());
        StringWriter out = new StringWriter();
        RunCommand.printSummary(r, new PrintWriter(out));
        assertThat(out.toString()).contains("rule changes: 2 applied, 1 correlations restarted empty, 1 refused");

        RunResult none = new RunResult(Map.of("app-1", 100L), Map.of(), Map.of(), Duration.ofSeconds(1), null, Map.of());
        StringWriter quiet = new StringWriter();
        RunCommand.printSummary(none, new PrintWriter(quiet));
        assertThat(quiet.toString()).doesNotContain("rule changes");
    }
}
