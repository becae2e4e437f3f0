package io.fendersec.detect.pipeline;

/**
 * Transformations that shape a backend's query output, not what a rule matches: {@code add_field},
 * {@code remove_field}, {@code set_field} (the fields a query returns; a Fendersec alert carries the
 * whole log), {@code set_state} and {@code set_custom_attribute} (hints for a backend). They are
 * accepted, so that published pipelines load, and change nothing.
 */
final class NoEffect implements Transformation {
    private NoEffect() {}

    /** Reads (and so accepts) the parameters of the type; none is checked beyond being present. */
    static NoEffect read(Args a) {
        for (String k : a.node.asMap().keySet()) {
            a.raw(k);
        }
        return new NoEffect();
    }

    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        // nothing: see the class comment
    }
}
