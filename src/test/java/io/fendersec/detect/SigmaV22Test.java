package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;

/**
 * Two approved changes of the Sigma v2.2 draft (branch v2.2.0 of SigmaHQ/sigma-specification):
 * {@code filter.rules: any} ("the string any applies the filter to all Sigma rules matching the
 * specified logsource") and {@code tags} on correlation rules. Expectations by hand from that text.
 */
class SigmaV22Test {
    static final Normalizer PLAIN = Normalizer.builder().defaults(false).build();
    int seq;

    static final String RULES = """
            title: Sign-in failed
            name: signin-failed
            logsource: {product: bugfender, category: authentication}
            detection: {sel: {text|contains: sign-in failed}, condition: sel}
            ---
            title: Token refused
            name: token-refused
            logsource: {category: authentication}
            detection: {sel: {text|contains: token refused}, condition: sel}
            ---
            title: Pinning failed
            name: pinning-failed
            logsource: {product: bugfender, category: network}
            detection: {sel: {text|contains: pinning failed}, condition: sel}
            """;

    List<String> matching(RuleSet rules, String user, String text) {
        LogRecord r = LogRecord.builder().put("uuid", "u" + seq++).put("app", "a").put("device.udid", "d")
                .put("time", "2026-03-01T10:00:00Z").put("user.name", user).put("text", text).build();
        List<String> out = new ArrayList<>();
        for (GroupHits g : new RuleMatcher(rules).match(PLAIN.normalize(r), 0, true)) {
            g.hits().forEach(h -> out.add(h.source()));
        }
        return out;
    }

    /**
     * {@code rules: any} with logsource {product: bugfender, category: authentication}: both
     * authentication rules (one without product: a Bugfender rule), not the network one.
     * Mutation caught: 'any' applied to every rule whatever its logsource, or read as a rule id.
     */
    @Test
    void filterRulesAnyAppliesToEveryRuleItsLogsourceCovers() {
        RuleSet rules = RuleLoader.create().text("rules.yml", RULES).text("filter.yml", """
                title: Test accounts sign in all day
                logsource: {product: bugfender, category: authentication}
                filter:
                  rules: any
                  selection: {user.name|startswith: qa-}
                  condition: not selection
                """).load();
        assertThat(rules.filters()).singleElement().satisfies(f ->
                assertThat(f.rules()).containsExactlyInAnyOrder("signin-failed", "token-refused"));
        assertThat(matching(rules, "qa-1", "sign-in failed")).isEmpty();
        assertThat(matching(rules, "qa-1", "token refused")).isEmpty();
        assertThat(matching(rules, "bob", "sign-in failed")).containsExactly("signin-failed");
        assertThat(matching(rules, "qa-1", "pinning failed")).as("another category").containsExactly("pinning-failed");
    }

    /** A filter 'any' over a logsource no loaded rule has is listed as skipped. Mutation caught: a silent no-op. */
    @Test
    void filterAnyOverNoRuleIsListedAsSkipped() {
        RuleSet rules = RuleLoader.create().text("rules.yml", RULES).text("filter.yml", """
                title: Nothing here
                name: empty-filter
                logsource: {product: bugfender, category: webserver}
                filter: {rules: any, selection: {user.name: x}, condition: not selection}
                """).load();
        assertThat(rules.filters()).isEmpty();
        assertThat(rules.skipped()).filteredOn(s -> s.id().equals("empty-filter")).singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("rules: any"));
    }

    /**
     * v2.2 adds {@code tags} to correlation rules: its alert carries the correlation's tags (not
     * the referenced rule's). Mutation caught: the referenced rule's tags copied to the episode.
     */
    @Test
    void aCorrelationsTagsAreItsAlertsTags() {
        RuleSet rules = RuleLoader.create().text("rules.yml", RULES + """
                ---
                title: Repeated failures
                name: repeated-failures
                tags: [attack.credential-access, attack.t1110.001]
                correlation: {type: event_count, rules: [signin-failed], group-by: [user.name], timespan: 10m,
                              condition: {gte: 3}}
                """).load();
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            logs.add(LogRecord.builder().put("uuid", "x" + i).put("app", "a").put("device.udid", "d")
                    .put("time", "2026-03-01T10:0" + i + ":00Z").put("user.name", "bob").put("text", "sign-in failed")
                    .build());
        }
        List<Alert> alerts = new LocalEvaluator(PLAIN, rules, DetectionSettings.defaults(),
                Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC)).evaluate(logs);
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("repeated-failures")).singleElement()
                .satisfies(a -> assertThat(a.tags()).containsExactly("attack.credential-access", "attack.t1110.001"));
    }
}
