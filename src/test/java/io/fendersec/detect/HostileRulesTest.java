package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.normalize.Extractor;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;

/**
 * Rules written to hurt the engine (each once a crash or a wrong answer) are refused at load with
 * one line naming the file and line, and the CLI exits 2. Also: rules for other products do not run.
 */
class HostileRulesTest {
    @TempDir
    Path dir;

    private static ConfigException refused(String yaml) {
        try {
            RuleLoader.create().text("h.yml", yaml).load();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("h.yml:");
            return e;
        }
        throw new AssertionError("loaded: " + yaml);
    }

    private static String rule(String detection) {
        return "title: t\nid: h1\ndetection:\n" + detection.indent(2);
    }

    @Test
    void aRuleNamedLikeABuiltinOneIsRefusedNotSilentlyDropped() {
        // A user rule must never be replaced by (or replace) a built-in rule without a word.
        String mine = "title: mine\nname: brute-force\nlogsource: {product: bugfender}\n"
                + "detection:\n  sel: {text|contains: foo}\n  condition: sel\n";
        assertThatThrownBy(() -> RuleLoader.create().builtin(List.of("all")).text("mine.yml", mine).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("mine.yml")
                .hasMessageContaining("rule id 'brute-force' is already used at").hasMessageContaining("builtin:");
    }

    @Test
    void aRegexWhoseRepetitionsExplodeIsRefusedBeforeRe2jCompilesIt() {
        assertThat(refused(rule("s: {text|re: '((((a{100}){100}){100}){100})'}\ncondition: s")).getMessage())
                .contains("h.yml:4").contains("too large");
        assertThat(refused(rule("s: {text|re: '" + "(".repeat(2000) + "a" + ")".repeat(2000) + "'}\ncondition: s"))
                .getMessage()).contains("nests groups deeper");
        // real-world sizes still load
        RuleSet ok = RuleLoader.create().text("ok.yml",
                rule("s: {text|re: '[a-f0-9]{32}(?:-[a-z]{1,64}){3}'}\ncondition: s")).load();
        assertThat(ok.detections()).hasSize(1);
    }

    @Test
    void extractorRegexesHaveTheSameLimit() {
        assertThatThrownBy(() -> Extractor.builder().where("normalize.extract[0]").field("x").from("text")
                .regex("((((a{100}){100}){100}){100})").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("normalize.extract[0]")
                .hasMessageContaining("too large");
    }

    @Test
    void deepConditionsAreRefusedNotAStackOverflow() {
        String parens = "(".repeat(2000) + "s" + ")".repeat(2000);
        assertThat(refused(rule("s: {text: x}\ncondition: '" + parens + "'")).getMessage())
                .contains("deeper than 64");
        String nots = "not ".repeat(5000) + "s";
        assertThat(refused(rule("s: {text: x}\ncondition: '" + nots + "'")).getMessage())
                .contains("deeper than 64");
        // 64 levels are fine, and 'not not' is what it says
        RuleSet ok = RuleLoader.create().text("ok.yml", rule("s: {text: x}\ncondition: 'not not s'")).load();
        assertThat(ok.detections().get(0).matches(new NormalizedLog(LogRecord.builder().put("text", "x").build(), java.util.Map.of())))
                .isTrue();
    }

    @Test
    void yamlAliasesAndDuplicateKeysAreRefusedInRules() {
        assertThat(refused("title: t\nid: h1\ndetection:\n  sel: {text|contains: &k secret}\n"
                + "  sel2: {text|contains: *k}\n  condition: sel2\n").getMessage())
                .contains("h.yml:5").contains("alias");
        assertThat(refused("title: t\nid: h1\nbase: &b {text: x}\ndetection:\n  sel:\n    <<: *b\n  condition: sel\n")
                .getMessage()).contains("alias");
        assertThat(refused(rule("sel: {text: x}\nsel: {text: y}\ncondition: sel")).getMessage())
                .contains("h.yml:5").contains("'sel'").contains("twice");
        assertThat(refused("title: t\ntitle: u\nid: h1\ndetection: {s: {text: x}, condition: s}\n").getMessage())
                .contains("'title'");
    }

    @Test
    void rulesForAnotherProductAreSkippedAndListedWithTheReason() throws Exception {
        String zeek = "title: Zeek weird\nid: z1\nlogsource: {product: zeek, service: weird}\n"
                + "detection:\n  selection: {name: x}\n  condition: not selection\n";
        String mine = "title: Mine\nid: m1\nlogsource: {product: Bugfender}\ndetection:\n  s: {text: x}\n  condition: s\n";
        String generic = "title: Generic\nid: g1\nlogsource: {category: application}\ndetection:\n  s: {text: x}\n"
                + "  condition: s\n";
        String corr = "title: C\nname: c1\ncorrelation: {type: event_count, rules: [z1], group-by: [x], timespan: 5m,"
                + " condition: {gte: 2}}\n";
        RuleSet rules = RuleLoader.create().text("r.yml", String.join("---\n", zeek, mine, generic, corr)).load();
        assertThat(rules.rules().keySet()).containsExactly("m1", "g1");
        assertThat(rules.skipped()).extracting(RuleSet.Skipped::id).containsExactly("z1", "c1");
        assertThat(rules.skipped().get(0).reason()).contains("'zeek'");
        assertThat(rules.skipped().get(1).reason()).contains("'z1'");
        // a skipped rule is not even compiled: nothing of it can fire
        assertThat(RuleLoader.create().anyLogsource(true).text("r.yml", zeek).load().detections()).hasSize(1);

    }
}
