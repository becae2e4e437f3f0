package io.fendersec.detect.pipeline;

/**
 * {@code drop_detection_item}: removes the detection items its conditions select (meant to be
 * used with a field name or detection item condition). A search identifier left with no item is
 * an error when the rule is built: it would otherwise match every log or none.
 */
final class DropDetectionItem implements Transformation {
    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        item.editItems(rule, run, i -> Edits.DROP);
    }
}
