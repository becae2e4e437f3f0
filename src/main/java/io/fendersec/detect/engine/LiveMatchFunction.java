package io.fendersec.detect.engine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

/**
 * {@link MatchFunction} for a job whose rules change while it runs: the logs are one input, the
 * rule snapshots of the watch source the broadcast input. A snapshot is compiled once per subtask
 * and kept in broadcast state ({@link RulesInForce}); logs are matched with the rules in force
 * when they arrive. When the job watches its lookup files, a snapshot also carries the tables:
 * logs are normalized with the job's normalizer joined with the tables in force (rebuilt only when
 * they change; a change of tables alone restarts no rule's state). Subtask 0 reports each change
 * (INFO log, counter {@code rulesRestartedEmpty} for the correlations whose state the keyed stages
 * drop).
 *
 * <p>Not chained to the source (Flink chains only one-input operators to it): a continuous job
 * pays one local hand-over per log for watching its rules; a job that does not watch uses
 * {@link MatchFunction}.
 */
final class LiveMatchFunction extends BroadcastProcessFunction<LogRecord, RuleSnapshot, GroupHits>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveMatchFunction.class);

    private final LogMatch logMatch;
    private final RulesInForce inForce;
    private final WatchedRules watched;
    private transient RuleMatcher matcher;
    private transient DropCounters drops;
    private transient Counter tooLate;
    private transient Counter restartedEmpty;
    private transient Counter applied;
    private transient ReadOnlyContext current;
    private transient LogMatch.Sides sides;

    LiveMatchFunction(Normalizer normalizer, WatchedRules watched, RuleSnapshot initial, RuleSet rules,
                      DetectionSettings settings, boolean emitNormalized) {
        this(new LogMatch(normalizer, settings, emitNormalized), watched, initial, rules);
    }

    /** The match of the arrival lane's re-timed logs: correlations only (see {@link ArrivalLane}). */
    static LiveMatchFunction retimed(Normalizer normalizer, WatchedRules watched, RuleSnapshot initial, RuleSet rules,
                                     DetectionSettings settings) {
        return new LiveMatchFunction(new LogMatch(normalizer, settings, false, true), watched, initial, rules);
    }

    private LiveMatchFunction(LogMatch logMatch, WatchedRules watched, RuleSnapshot initial, RuleSet rules) {
        this.logMatch = logMatch;
        this.inForce = new RulesInForce(watched, initial, rules);
        this.watched = watched;
    }

    /** Whether going from {@code from} to {@code to} changes the lookup tables (only when the job watches them). */
    private boolean lookupsChanged(RuleSnapshot from, RuleSnapshot to) {
        return watched.watchesLookups()
                && !from.entries(RuleSnapshot.Kind.LOOKUP).equals(to.entries(RuleSnapshot.Kind.LOOKUP));
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        RuleSnapshot built = inForce.snapshot();
        if (inForce.restore(ctx.getOperatorStateStore().getBroadcastState(RulesInForce.STATE))) {
            LOG.info("restored the rules in force at the checkpoint ({}, {} rules)", inForce.snapshot().shortDigest(),
                    inForce.rules().size());
            if (lookupsChanged(built, inForce.snapshot())) {
                try {
                    logMatch.normalizer(watched.normalizer(inForce.snapshot()));
                } catch (ConfigException e) {
                    LOG.warn("the lookup tables in force at the checkpoint ({}) do not load with this job's settings, "
                            + "using the tables the job was started with: {}", inForce.snapshot().shortDigest(),
                            e.getMessage());
                }
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) {
        // the snapshot in force is in broadcast state, which the operator checkpoints
    }

    @Override
    public void open(OpenContext ctx) {
        matcher = new RuleMatcher(inForce.rules());
        drops = new DropCounters(getRuntimeContext());
        drops.attach(matcher);
        tooLate = getRuntimeContext().getMetricGroup().counter("tooLateLogs");
        restartedEmpty = getRuntimeContext().getMetricGroup().counter("rulesRestartedEmpty");
        applied = getRuntimeContext().getMetricGroup().counter("ruleChangesApplied");
        sides = new LogMatch.Sides() {
            @Override
            public void tooLate(LogRecord l) {
                tooLate.inc();
                current.output(MatchFunction.TOO_LATE, l);
            }

            @Override
            public void normalized(NormalizedLog l) {
                current.output(MatchFunction.NORMALIZED, l);
            }
        };
    }

    @Override
    public void processElement(LogRecord log, ReadOnlyContext ctx, Collector<GroupHits> out) {
        current = ctx;
        logMatch.process(matcher, log, ctx.timestamp(), ctx.currentWatermark(), out, sides);
    }

    @Override
    public void processBroadcastElement(RuleSnapshot snapshot, Context ctx, Collector<GroupHits> out)
            throws Exception {
        RulesInForce.Change change;
        Normalizer tables = null;
        try {
            // the tables first: a snapshot whose tables do not load must not become the one in force
            if (lookupsChanged(inForce.snapshot(), snapshot)) {
                tables = watched.normalizer(snapshot);
            }
            change = inForce.apply(snapshot);
        } catch (ConfigException e) {
            // The watch source tested it with the same code: only a source of another release gets here.
            LOG.warn("rules {} do not load here, the rules in force stay: {}", snapshot.shortDigest(), e.getMessage());
            return;
        }
        if (change == null) {
            return;
        }
        ctx.getBroadcastState(RulesInForce.STATE).put(RulesInForce.KEY, snapshot);
        matcher = new RuleMatcher(change.rules());
        drops.attach(matcher);
        if (tables != null) {
            logMatch.normalizer(tables);
        }
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            applied.inc();
            if (tables != null) {
                LOG.info("lookup tables changed ({}): {}", snapshot.shortDigest(),
                        String.join("; ", tables.enrichment().describe()));
            }
            restartedEmpty.inc(change.restarted().size());
            LOG.info("rules changed ({}): {} rules in force; {}", snapshot.shortDigest(), change.rules().size(),
                    change.restarted().isEmpty() ? "every rule keeps its windows and episodes"
                            : "restarted empty (changed or removed): " + String.join(", ", change.restarted()));
        }
    }
}
