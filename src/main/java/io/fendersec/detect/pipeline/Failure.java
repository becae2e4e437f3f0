package io.fendersec.detect.pipeline;

/**
 * {@code rule_failure} (the rule conditions hold: the rule is refused) and
 * {@code detection_item_failure} (a detection item matches the item and field name conditions):
 * a config error with {@code message}, naming the rule, its file and the processing item.
 */
final class Failure implements Transformation {
    private final String message;
    private final boolean perItem;

    private Failure(String message, boolean perItem) {
        this.message = message;
        this.perItem = perItem;
    }

    static Failure rule(Args a) {
        return new Failure(a.text("message", true), false);
    }

    static Failure detectionItem(Args a) {
        return new Failure(a.text("message", true), true);
    }

    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        if (!perItem) {
            throw item.fail(rule, message);
        }
        for (DetectionItem i : rule.items()) {
            if (item.matches(i, run)) {
                throw item.fail(rule, message + " (detection item '" + i.key() + "', " + i.where.where() + ")");
            }
        }
    }
}
