package io.fendersec.detect.pipeline;

/** {@code is_sigma_rule} and {@code is_sigma_correlation_rule}: whether the rule is a detection or a correlation. */
final class RuleKindCondition implements Condition.OnRule {
    private final boolean correlation;

    RuleKindCondition(boolean correlation) {
        this.correlation = correlation;
    }

    @Override
    public boolean test(WorkingRule rule, PipelineRun run) {
        return rule.correlation == correlation;
    }
}
