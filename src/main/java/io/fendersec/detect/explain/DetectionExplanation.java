package io.fendersec.detect.explain;

import java.util.List;

/**
 * Why a detection rule matched one log, or not.
 *
 * @param condition    the condition as written (alternatives of a list joined by {@code or})
 * @param tree         the condition's evaluation, down to field tests
 * @param firstFailure for a condition that did not hold, the first part that failed in the
 *                     order the compiled rule tests them (a field test, or a {@code not} whose
 *                     inner part held); else null
 * @param suppressions the Sigma filters and exceptions of the rule and what each did
 * @param matched      whether the job counts the log as a match: the condition held and no filter
 *                     or active exception dropped it
 */
public record DetectionExplanation(String ruleId, String title, String condition, Step tree, Step firstFailure,
                                   List<SuppressionOutcome> suppressions, boolean matched) {
    public DetectionExplanation {
        suppressions = List.copyOf(suppressions);
    }

    /** A filter or exception of the rule, and what it did to this log. */
    public record SuppressionOutcome(String label, Outcome outcome) {}

    public enum Outcome {
        /** It covers the log: the match is dropped. */
        DROPS,
        /** It does not cover the log. */
        PASSES,
        /** Its expiry date is past (processing time): it no longer applies. */
        EXPIRED
    }

    public boolean conditionHeld() {
        return tree.held();
    }
}
