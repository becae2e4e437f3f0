package io.fendersec.detect.pipeline;

import java.util.Set;

/**
 * {@code processing_item_applied}: the processing item with this id was applied before, to the
 * rule (rule condition) or to the detection item (detection item and field name conditions).
 */
final class AppliedCondition implements Condition.OnRule, Condition.OnItem, Condition.OnField {
    private final String id;

    private AppliedCondition(String id) {
        this.id = id;
    }

    static AppliedCondition read(Args a) {
        return new AppliedCondition(a.text("processing_item_id", true));
    }

    @Override
    public boolean test(WorkingRule rule, PipelineRun run) {
        return rule.applied.contains(id);
    }

    @Override
    public boolean test(DetectionItem item, PipelineRun run) {
        return item.applied.contains(id);
    }

    @Override
    public boolean test(String field, Set<String> applied) {
        return applied.contains(id);
    }
}
