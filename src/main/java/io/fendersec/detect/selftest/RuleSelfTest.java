package io.fendersec.detect.selftest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;

/**
 * Runs rule files' examples through the evaluation {@code rules test --logs} uses
 * ({@link LocalEvaluator}: the job's matcher and sliding windows, suppression as configured), one
 * example at a time over all the loaded rules, so an example also shows that its logs do not
 * wake another rule it names.
 *
 * <p>A rule that alerts on its own must (or must not) raise an alert. A rule that only feeds
 * correlations (such as {@code login-failure}) never alerts in the loaded set; for it the example
 * is also run over that rule alone, where its matches are alerts.
 */
public final class RuleSelfTest {
    private final RuleSet rules;
    private final Normalizer normalizer;
    private final DetectionSettings settings;
    private final Clock clock;

    public RuleSelfTest(RuleSet rules, Normalizer normalizer, DetectionSettings settings, Clock clock) {
        this.rules = rules;
        this.normalizer = normalizer;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * What an example gave.
     *
     * @param alerted  the rules that alerted over all the loaded rules
     * @param matched  the rules the example names that feed correlations only, and matched
     * @param missing  expected rules that did not alert (or match)
     * @param unwanted rules that alerted (or matched) although the example says they must not
     */
    public record Outcome(RuleTestCase example, List<String> alerted, List<String> matched, List<String> missing,
                          List<String> unwanted) {
        public boolean passed() {
            return missing.isEmpty() && unwanted.isEmpty();
        }
    }

    /**
     * Throws a {@link ConfigException} naming the example when it names a rule that is not loaded:
     * an expectation about a rule that does not run would pass, or fail, for the wrong reason.
     */
    public void checkRuleIds(RuleTestCase example) {
        for (List<String> ids : List.of(example.expect(), example.expectNot())) {
            for (String id : ids) {
                if (rules.rule(id) == null) {
                    throw new ConfigException(example.where() + ": example '" + example.name() + "' names rule '" + id
                            + "', which is not loaded (loaded: " + String.join(", ", rules.rules().keySet()) + ")");
                }
            }
        }
    }

    public Outcome run(RuleTestCase example) {
        checkRuleIds(example);
        Set<String> alerted = alerting(rules, example);
        List<String> matched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unwanted = new ArrayList<>();
        for (String id : example.expect()) {
            if (!alertedOrMatched(id, alerted, matched, example)) {
                missing.add(id);
            }
        }
        for (String id : example.expectNot()) {
            if (alertedOrMatched(id, alerted, matched, example)) {
                unwanted.add(id);
            }
        }
        return new Outcome(example, List.copyOf(alerted), matched, missing, unwanted);
    }

    private boolean alertedOrMatched(String id, Set<String> alerted, List<String> matched, RuleTestCase example) {
        if (rules.alertsOnItsOwn(id)) {
            return alerted.contains(id);
        }
        boolean hit = alerting(rules.withReferences(id), example).contains(id);
        if (hit) {
            matched.add(id);
        }
        return hit;
    }

    private Set<String> alerting(RuleSet set, RuleTestCase example) {
        Set<String> ids = new LinkedHashSet<>();
        for (Alert a : new LocalEvaluator(normalizer, set, settings, clock).evaluate(example.logs())) {
            ids.add(a.ruleId());
        }
        return ids;
    }
}
