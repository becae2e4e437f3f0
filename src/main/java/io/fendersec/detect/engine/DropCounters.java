package io.fendersec.detect.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * Counts the matches that Sigma filters and exceptions drop, per filter or exception: the metric
 * {@code <kind>.<id>.droppedMatches} and the accumulator {@link DetectionPipeline#DROPPED_PREFIX}
 * {@code <kind> <id> (<rule>)}, which the run summary prints. One per match operator subtask; each
 * name is registered once, so that a matcher compiled after a live rule change reuses the counters
 * of the filters and exceptions it keeps and registers new ones for those it adds.
 */
final class DropCounters {
    private final RuntimeContext ctx;
    private final Map<String, Counter> metrics = new HashMap<>();
    private final Map<String, LongCounter> accumulators = new HashMap<>();

    DropCounters(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** Makes {@code matcher} report its drops here; registers counters for its filters and exceptions up front. */
    void attach(RuleMatcher matcher) {
        List<RuleMatcher.Suppression> all = matcher.suppressions();
        if (all.isEmpty()) {
            return;
        }
        // Registered up front: a filter or exception that drops nothing shows 0, not no series.
        Counter[] counters = new Counter[all.size()];
        LongCounter[] sums = new LongCounter[all.size()];
        for (RuleMatcher.Suppression s : all) {
            // A filter naming two rules is one metric series (its id), and one summary line per rule.
            counters[s.index()] = metrics.computeIfAbsent(s.kind() + "\0" + s.id(),
                    k -> ctx.getMetricGroup().addGroup(s.kind(), s.id()).counter("droppedMatches"));
            sums[s.index()] = accumulators.computeIfAbsent(s.label(), k -> {
                LongCounter c = new LongCounter();
                ctx.addAccumulator(DetectionPipeline.DROPPED_PREFIX + k, c);
                return c;
            });
        }
        matcher.onDrop(i -> {
            counters[i].inc();
            sums[i].add(1L);
        });
    }
}
