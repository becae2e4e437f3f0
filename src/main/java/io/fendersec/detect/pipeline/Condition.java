package io.fendersec.detect.pipeline;

/**
 * A processing condition, of one of pySigma's three kinds: on the rule, on a detection item, or on
 * a field name. Each type is one small class, registered by its pySigma name in
 * {@link ConditionTypes}.
 */
sealed interface Condition permits Condition.OnRule, Condition.OnItem, Condition.OnField {
    /** {@code rule_conditions}: the rule as a whole (logsource, attributes, what was applied). */
    non-sealed interface OnRule extends Condition {
        boolean test(WorkingRule rule, PipelineRun run);
    }

    /** {@code detection_item_conditions}: one field and its values. */
    non-sealed interface OnItem extends Condition {
        boolean test(DetectionItem item, PipelineRun run);
    }

    /**
     * {@code field_name_conditions}: a field name (of a detection item, or a correlation's group-by,
     * alias or counted field); {@code applied} is what was applied to the item holding it.
     */
    non-sealed interface OnField extends Condition {
        boolean test(String field, java.util.Set<String> applied);
    }
}
