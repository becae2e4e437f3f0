package io.fendersec.detect.pipeline;

/** {@code type: contains_field}: one of the rule's detection items reads {@code field}. */
final class ContainsFieldCondition implements Condition.OnRule {
    private final String field;

    private ContainsFieldCondition(String field) {
        this.field = field;
    }

    static ContainsFieldCondition read(Args a) {
        return new ContainsFieldCondition(a.text("field", true));
    }

    @Override
    public boolean test(WorkingRule rule, PipelineRun run) {
        return rule.items().stream().anyMatch(i -> field.equals(i.field));
    }
}
