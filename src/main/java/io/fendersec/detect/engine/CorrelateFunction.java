package io.fendersec.detect.engine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupHitsTypeInfoFactory;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.model.Alert;

/**
 * One keyed stage of detection, keyed by (app, group): every rule with that group-by keeps its
 * window and episodes in the group's state ({@link GroupStore}: a map by rule, beside the waiting
 * hits by time). Hits wait in state until the watermark
 * passes them and are then processed in event-time order ({@link Hit#ORDER}), so shuffled input
 * gives the alerts sorted input gives. Hits that arrive behind the watermark (but within the
 * allowed lateness, see {@link MatchFunction}) are processed at once; the sliding window inserts
 * them in place. A rule's state is dropped once nothing allowed can change it any more, the
 * group's once no rule has any. The work is {@link CorrelationStage}'s, shared with
 * {@link LiveCorrelateFunction}, the stage of a job whose rules change while it runs.
 */
final class CorrelateFunction extends KeyedProcessFunction<String, GroupHits, Alert> {
    private static final long serialVersionUID = 1L;

    /** Hits for correlations of later stages (chaining). */
    static final OutputTag<GroupHits> CHAINED = new OutputTag<>("chained-hits", GroupHitsTypeInfoFactory.TYPE);

    private final CorrelationStage stage;
    private transient GroupStore state;
    private transient Counter lateHits;
    private transient Counter groupsEvicted;

    CorrelateFunction(RuleSet rules, DetectionSettings settings) {
        this.stage = new CorrelationStage(rules, settings);
    }

    /** For tests. */
    CorrelationStage stage() {
        return stage;
    }

    @Override
    public void open(OpenContext ctx) {
        state = GroupStore.of(getRuntimeContext());
        lateHits = getRuntimeContext().getMetricGroup().counter("lateHitsAccepted");
        groupsEvicted = getRuntimeContext().getMetricGroup().counter("groupsEvicted");
    }

    /** Groups evicted by this subtask so far (the {@code groupsEvicted} metric). */
    long groupsEvicted() {
        return groupsEvicted.getCount();
    }

    /**
     * Called by {@link CorrelateOperator} after {@code cause}'s hits, with its group current;
     * {@code timers} are this function's, for whichever group is current.
     */
    void evictStalest(GroupHits cause, CorrelationStage.Groups groups, TimerService timers, Collector<Alert> out)
            throws Exception {
        stage.evictStalest(cause, groups, state, timers, out, groupsEvicted);
    }

    @Override
    public void processElement(GroupHits hits, Context ctx, Collector<Alert> out) throws Exception {
        stage.onHits(hits, state, ctx.timerService(), out, g -> ctx.output(CHAINED, g), lateHits);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        stage.onTimer(timestamp, state, ctx.timerService(), out, g -> ctx.output(CHAINED, g));
    }
}
