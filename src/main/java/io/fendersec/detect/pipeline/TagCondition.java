package io.fendersec.detect.pipeline;

/** {@code type: tag}: the rule has this tag (as written, without case). */
final class TagCondition implements Condition.OnRule {
    private final String tag;

    private TagCondition(String tag) {
        this.tag = tag;
    }

    static TagCondition read(Args a) {
        return new TagCondition(a.text("tag", true));
    }

    @Override
    public boolean test(WorkingRule rule, PipelineRun run) {
        return rule.attributeList("tags").stream().anyMatch(t -> t.equalsIgnoreCase(tag));
    }
}
