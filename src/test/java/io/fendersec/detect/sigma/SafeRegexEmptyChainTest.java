package io.fendersec.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.cli.Main;

/**
 * Chains of steps that may match empty, which RE2/J follows recursively: {@code (?:a?){1000}}
 * nine times then {@code y} passed the size limit (9,000 steps) and overflowed RE2/J's stack in
 * {@code rules test}. Now refused when the rule loads, as the rule's one-line error (exit 2).
 */
class SafeRegexEmptyChainTest {
    static final String CHAIN = "(?:a?){1000}".repeat(9) + "y";

    /**
     * Mutation caught: no bound on empty-matching steps (only MAX_SIZE, as before): the chain
     * compiles, and the rule loads and later overflows the matcher's stack.
     */
    @Test
    void aLongChainOfOptionalStepsIsRefusedNamingTheLimit() {
        assertThatThrownBy(() -> SafeRegex.compile(CHAIN, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over " + SafeRegex.MAX_EMPTY_STEPS + " parts that may match nothing");
        assertThatThrownBy(() -> SafeRegex.compile("(?:x{0,600}){2}", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SafeRegex.compile("(?:(?:a*b?){30}){40}", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Real rules keep working: a handful of optional parts, lazy quantifiers and non-capturing
     * groups are not counted as chains.
     * Mutation caught: counting the '?' of "(?:" or of a lazy "*?" (every rule with groups refused).
     */
    @Test
    void ordinaryPatternsStillCompile() {
        assertThat(SafeRegex.compile("(?i)(?:password|passwd|pwd)\\s*[:=]\\s*\\S+?", 0).matcher("pwd = x").find()).isTrue();
        assertThat(SafeRegex.compile("(?:(?:a?){100}){9}y", 0).matcher("aay").find()).isTrue();
        assertThat(SafeRegex.compile("^(?:\\d{1,3}\\.){3}\\d{1,3}$", 0).matcher("10.0.0.1").find()).isTrue();
    }

    /**
     * End to end: {@code fendersec rules test} on a rule holding the chain exits 2 with one line
     * naming the rule file, where it used to throw StackOverflowError.
     */
    @Test
    void rulesTestRefusesTheRuleWithOneLine(@TempDir Path dir) throws Exception {
        Path rule = Files.writeString(dir.resolve("chain.yml"), """
                title: Chain
                name: chain
                detection:
                  sel: {text|re: '%s'}
                  condition: sel
                """.formatted(CHAIN));
        Path logs = Files.writeString(dir.resolve("logs.ndjson"),
                "{\"time\":\"2026-03-01T10:00:00Z\",\"text\":\"" + "a".repeat(40) + "x\"}\n");
        var r = io.fendersec.cli.RulesCommandTestAccess.run("rules", "test", rule.toString(), "--logs", logs.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(rule.toString()).contains("may match nothing");
        assertThat(Main.class).isNotNull();
    }
}
