package io.fendersec.detect.pipeline;

/**
 * {@code change_logsource}: the rule's logsource becomes {@code {category, product, service}} as
 * given; a part not given is unset, as pySigma's transformation writes all three. Its main use here:
 * {@code product: bugfender}, so that a rule written for another product runs on Bugfender logs.
 */
final class ChangeLogsource implements Transformation {
    private final String category;
    private final String product;
    private final String service;

    private ChangeLogsource(String category, String product, String service) {
        this.category = category;
        this.product = product;
        this.service = service;
    }

    static ChangeLogsource read(Args a) {
        return new ChangeLogsource(a.text("category", false), a.text("product", false), a.text("service", false));
    }

    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        if (rule.correlation) {
            return; // a correlation has no logsource of its own
        }
        rule.category = category;
        rule.product = product;
        rule.service = service;
        rule.logsourceChanged = true;
    }
}
