package io.fendersec.detect.pipeline;

/**
 * One pySigma transformation type. Each is a small class, read from its parameters by a factory
 * registered under its pySigma name in {@link Transformations}; it changes the rule in place.
 */
interface Transformation {
    /** Applies to {@code rule}, whose rule conditions {@code item} has already checked. */
    void apply(WorkingRule rule, ProcessingItem item, PipelineRun run);
}
