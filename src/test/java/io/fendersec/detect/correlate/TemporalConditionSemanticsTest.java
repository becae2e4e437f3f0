package io.fendersec.detect.correlate;

import static io.fendersec.detect.correlate.CorrelationSemanticsTest.at;
import static io.fendersec.detect.correlate.CorrelationSemanticsTest.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * Sigma v2.2's conditions over rule names in temporal and temporal_ordered correlations (SEP #198,
 * the draft's "Condition" section): expected alerts written by hand from the draft's wording and
 * the semantics docs/rules.md gives where the draft is silent ("Temporal conditions").
 */
class TemporalConditionSemanticsTest {
    static final String STEPS = """
            title: Sign-in success
            name: success
            detection:
              sel: {text|contains: 'Login succeeded'}
              condition: sel
            ---
            title: MFA passed
            name: mfa
            detection:
              sel: {text|contains: 'MFA passed'}
              condition: sel
            ---
            title: Transfer
            name: transfer
            detection:
              sel: {text|contains: 'Transfer sent'}
              condition: sel
            """;

    static String correlation(String type, String rules, String condition) {
        return STEPS + """
                ---
                title: Steps
                name: steps
                level: high
                correlation:
                  type: %s
                  %s
                  group-by: [user.name]
                  timespan: 2m
                  %s
                """.formatted(type, rules == null ? "" : "rules: " + rules,
                condition == null ? "" : "condition: " + condition);
    }

    static LogRecord step(int minute, int second, String text) {
        return log(at(minute, second), text + " for bob", "user.name", "bob");
    }

    static List<Alert> run(String rules, LogRecord... logs) {
        return CorrelationSemanticsTest.run(rules, List.of(logs)).stream()
                .filter(a -> a.ruleId().equals("steps")).toList();
    }

    static Instant t(int minute, int second) {
        return Instant.parse(at(minute, second));
    }

    // ---- absence: "a success not followed by the MFA check within 2 minutes" ----

    static final String NO_MFA = correlation("temporal_ordered", "[success, mfa]", "success and not mfa");

    // Mutation caught (seen failing): `not` ignored (negated rules read as present) -> the
    // success followed by MFA at 1 min alerts too.
    @Test
    void aSuccessFollowedByMfaWithinTheTimespanDoesNotAlert() {
        assertThat(run(NO_MFA, step(0, 0, "Login succeeded"), step(1, 0, "MFA passed"))).isEmpty();
    }

    // Mutation caught (seen failing): last seen taken as the window's end (as for a span ending
    // at a hit) -> lastSeen 10:02 instead of the success at 10:00.
    @Test
    void aSuccessWithoutMfaWithinTwoMinutesAlertsOnceWithTheWindowItOpened() {
        List<Alert> alerts = run(NO_MFA, step(0, 0, "Login succeeded"), step(3, 0, "MFA passed"));
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.windowStart()).isEqualTo(t(0, 0));
        assertThat(a.windowEnd()).isEqualTo(t(2, 0));
        assertThat(a.firstSeen()).isEqualTo(t(0, 0));
        assertThat(a.lastSeen()).isEqualTo(t(0, 0)); // the success; no event at the window's end
        assertThat(a.evidence()).hasSize(1); // the success, not the MFA after the window
        assertThat(a.count()).isEqualTo(1);
    }

    // The window opens at the success: an MFA before it is not "following" it, in either type.
    // Mutation caught (seen failing): the window judged from the first hit kept instead of from
    // its anchor (the MFA at -30 s counted) -> no alert from the temporal rule.
    @Test
    void anMfaBeforeTheSuccessDoesNotCountAsFollowingIt() {
        assertThat(run(NO_MFA, step(0, 0, "MFA passed"), step(0, 30, "Login succeeded"))).hasSize(1);
        assertThat(run(correlation("temporal", "[success, mfa]", "success and not mfa"), step(0, 0, "MFA passed"),
                step(0, 30, "Login succeeded"))).hasSize(1);
    }

    // Both ends of the window are included: an MFA exactly 2 min after the success is in time.
    // Mutation caught (seen failing): the window's end excluded (end - 1) -> alert.
    @Test
    void anMfaAtTheWindowsEndIsInTime() {
        assertThat(run(NO_MFA, step(0, 0, "Login succeeded"), step(2, 0, "MFA passed"))).isEmpty();
        assertThat(run(NO_MFA, step(0, 0, "Login succeeded"), step(2, 1, "MFA passed"))).hasSize(1);
    }

    // ---- temporal_ordered: slots between the required rules ----

    static final String NO_MFA_BEFORE_TRANSFER = correlation("temporal_ordered", "[success, mfa, transfer]",
            "success and not mfa and transfer");

    // mfa's slot is between success and transfer (its neighbours in rules): an MFA after the
    // transfer does not excuse it. Mutation caught (seen failing): a negated rule judged over the
    // whole window (greedy chain) -> the MFA at 1 min hides the success-transfer at 0 / 30 s.
    @Test
    void orderedAbsenceIsJudgedInTheNegatedRulesSlot() {
        assertThat(run(NO_MFA_BEFORE_TRANSFER, step(0, 0, "Login succeeded"), step(0, 30, "Transfer sent"),
                step(1, 0, "MFA passed"))).hasSize(1);
        assertThat(run(NO_MFA_BEFORE_TRANSFER, step(0, 0, "Login succeeded"), step(0, 10, "MFA passed"),
                step(0, 30, "Transfer sent"))).isEmpty();
        // a second success after the MFA opens a slot of its own: success@40s, transfer@50s, no MFA between
        assertThat(run(NO_MFA_BEFORE_TRANSFER, step(0, 0, "Login succeeded"), step(0, 10, "MFA passed"),
                step(0, 40, "Login succeeded"), step(0, 50, "Transfer sent"))).hasSize(1);
        // order matters: a transfer before the success is no chain
        assertThat(run(NO_MFA_BEFORE_TRANSFER, step(0, 0, "Transfer sent"), step(0, 30, "Login succeeded")))
                .isEmpty();
    }

    // ---- temporal (any order) ----

    // Mutation caught (seen failing): temporal judged in order -> the transfer before the success
    // would not count.
    @Test
    void temporalAbsenceTakesTheRequiredRulesInAnyOrderAndNoNegatedOneInTheWindow() {
        String rules = correlation("temporal", "[success, mfa, transfer]", "success and transfer and not mfa");
        assertThat(run(rules, step(0, 0, "Transfer sent"), step(0, 30, "Login succeeded"))).hasSize(1);
        assertThat(run(rules, step(0, 0, "Transfer sent"), step(0, 30, "Login succeeded"),
                step(1, 50, "MFA passed"))).isEmpty(); // within 2 min of the window's opening (the transfer)
    }

    // ---- monotone expressions: judged at once, like the count conditions ----

    // Mutation caught (seen failing): precedence of or over and (the parser's and/or levels
    // swapped: a or (b and c) read as (a or b) and c) -> a success alone does not alert.
    @Test
    void orAndParenthesesFollowSigmaPrecedence() {
        String rules = correlation("temporal", "[success, mfa, transfer]", "success or mfa and transfer");
        assertThat(run(rules, step(0, 0, "Login succeeded"))).hasSize(1);
        assertThat(run(rules, step(0, 0, "MFA passed"))).isEmpty();
        assertThat(run(rules, step(0, 0, "MFA passed"), step(1, 0, "Transfer sent"))).hasSize(1);
        String grouped = correlation("temporal", "[success, mfa, transfer]", "'(success or mfa) AND transfer'");
        assertThat(run(grouped, step(0, 0, "Login succeeded"))).isEmpty();
        assertThat(run(grouped, step(0, 0, "Login succeeded"), step(1, 0, "Transfer sent"))).hasSize(1);
        assertThat(run(grouped, step(0, 0, "Login succeeded"), step(2, 1, "Transfer sent"))).isEmpty();
    }

    // The draft's own form (upper-case keywords) and its default: an omitted condition is the and
    // of all rules, in order for temporal_ordered; rules may be left out and taken from the condition.
    @Test
    void theDraftsFormsAndTheImplicitAndGiveTheSameAlerts() {
        LogRecord[] inOrder = {step(0, 0, "Login succeeded"), step(0, 30, "MFA passed")};
        LogRecord[] reversed = {step(0, 0, "MFA passed"), step(0, 30, "Login succeeded")};
        for (String rules : List.of(correlation("temporal_ordered", "[success, mfa]", null),
                correlation("temporal_ordered", "[success, mfa]", "success AND mfa"),
                correlation("temporal_ordered", null, "success and mfa"))) {
            assertThat(run(rules, inOrder)).as(rules).hasSize(1);
            assertThat(run(rules, reversed)).as(rules).isEmpty();
        }
    }

    // A live rule change that only rewrites the expression must restart the rule's state (its
    // windows were judged under the old one). Mutation caught (seen failing): the expression left
    // out of the fingerprint (the count condition of both is gte 1) -> nothing restarted.
    @Test
    void aChangedExpressionRestartsOnlyItsRule() {
        String before = correlation("temporal_ordered", "[success, mfa]", "success and not mfa");
        String after = correlation("temporal_ordered", "[success, mfa]", "success and mfa");
        var fpBefore = io.fendersec.detect.load.RuleFingerprints.of(RuleLoader.create().text("r.yml", before).load(),
                java.util.Map.of("r.yml", before));
        var fpAfter = io.fendersec.detect.load.RuleFingerprints.of(RuleLoader.create().text("r.yml", after).load(),
                java.util.Map.of("r.yml", after));
        assertThat(io.fendersec.detect.load.RuleFingerprints.restarted(fpBefore, fpAfter)).containsExactly("steps");
    }

    // ---- errors: one, naming correlation.condition and the form expected ----

    static String loadError(String rules) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> RuleLoader.create().text("rules.yml", rules).load(), ConfigException.class).getMessage();
    }

    @Test
    void badConditionsAreOneErrorNamingTheKeyPath() {
        assertThat(loadError(correlation("temporal", "[success, mfa]", "success and not otp")))
                .contains("rules.yml:", "correlation.condition", "'otp' is not one of this correlation's rules");
        assertThat(loadError(correlation("temporal", "[success, mfa]", "'(success and mfa'")))
                .contains("correlation.condition", "not closed", "expected rule names joined by and, or, not");
        assertThat(loadError(correlation("temporal", "[success, mfa]", "success and and mfa")))
                .contains("correlation.condition", "'and' where a rule name");
        assertThat(loadError(correlation("temporal", "[success, mfa, transfer]", "success and mfa")))
                .contains("correlation.condition", "'transfer' is in rules but not in the condition");
        assertThat(loadError(correlation("temporal", "[success, mfa]", "not mfa")))
                .contains("correlation.condition", "holds when none of the rules matched");
        assertThat(loadError(correlation("temporal_ordered", "[mfa, success]", "not mfa and success")))
                .contains("correlation.condition", "only negated and listed before");
        assertThat(loadError(STEPS + """
                ---
                title: Count
                name: count
                correlation:
                  type: event_count
                  rules: [success]
                  group-by: [user.name]
                  timespan: 2m
                  condition: success
                """)).contains("correlation.condition", "is for temporal and temporal_ordered");
        assertThatThrownBy(() -> RuleLoader.create().text("rules.yml",
                correlation("temporal", null, "success and nobody")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown rule 'nobody'");
    }
}
