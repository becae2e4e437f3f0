package io.fendersec.detect.engine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;

/**
 * {@link CorrelateFunction} for a job whose rules change while it runs. On a change, the rules
 * whose fingerprint changed or that are gone ({@link io.fendersec.detect.load.RuleFingerprints}) lose
 * their windows, episodes and waiting hits in every group ({@code applyToKeyedState}); every other
 * rule keeps its state. The keyed state keeps its name and serializer, so a savepoint of the
 * one-input stage restores into this one.
 */
final class LiveCorrelateFunction extends KeyedBroadcastProcessFunction<String, GroupHits, RuleSnapshot, Alert>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveCorrelateFunction.class);

    private final RulesInForce inForce;
    private final CorrelationStage stage;
    private transient GroupStore state;
    private transient Counter lateHits;
    private transient Counter groupsEvicted;

    LiveCorrelateFunction(WatchedRules watched, RuleSnapshot initial, RuleSet rules, DetectionSettings settings) {
        this.inForce = new RulesInForce(watched, initial, rules);
        // rules.max-groups is enforced by the operator that runs this function (LiveCorrelateOperator),
        // which can make another group current to evict it.
        this.stage = new CorrelationStage(rules, settings);
    }

    /** For tests. */
    CorrelationStage stage() {
        return stage;
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        if (inForce.restore(ctx.getOperatorStateStore().getBroadcastState(RulesInForce.STATE))) {
            stage.use(inForce.rules());
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) {
        // the snapshot in force is in broadcast state, which the operator checkpoints
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
     * Called by {@link LiveCorrelateOperator} after {@code cause}'s hits, with its group current;
     * {@code timers} are this function's, for whichever group is current.
     */
    void evictStalest(GroupHits cause, CorrelationStage.Groups groups, TimerService timers, Collector<Alert> out)
            throws Exception {
        stage.evictStalest(cause, groups, state, timers, out, groupsEvicted);
    }

    @Override
    public void processElement(GroupHits hits, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        stage.onHits(hits, state, ctx.timerService(), out, g -> ctx.output(CorrelateFunction.CHAINED, g), lateHits);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        stage.onTimer(timestamp, state, ctx.timerService(), out, g -> ctx.output(CorrelateFunction.CHAINED, g));
    }

    @Override
    public void processBroadcastElement(RuleSnapshot snapshot, Context ctx, Collector<Alert> out) throws Exception {
        RulesInForce.Change change;
        try {
            change = inForce.apply(snapshot);
        } catch (ConfigException e) {
            LOG.warn("rules {} do not load here, the rules in force stay: {}", snapshot.shortDigest(), e.getMessage());
            return;
        }
        if (change == null) {
            return;
        }
        ctx.getBroadcastState(RulesInForce.STATE).put(RulesInForce.KEY, snapshot);
        if (!change.restarted().isEmpty()) {
            // Every group has a clock, or (restored from an earlier release, not yet touched) the
            // one legacy value; the backend makes each group current while it is visited, so the
            // group's other states are its own.
            ctx.applyToKeyedState(GroupStore.clockDescriptor(), (key, clock) -> state.forgetForAllKeys(change.restarted()));
            ctx.applyToKeyedState(GroupStore.legacyDescriptor(), (key, old) -> state.forgetForAllKeys(change.restarted()));
        }
        stage.use(change.rules());
    }
}
