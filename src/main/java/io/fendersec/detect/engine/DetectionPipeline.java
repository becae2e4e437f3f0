package io.fendersec.detect.engine;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupHitsTypeInfoFactory;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.RuleSnapshotTypeInfoFactory;
import io.fendersec.detect.reload.RuleWatchSource;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * Adds detection to a job: logs (with event-time timestamps and watermarks assigned upstream) in,
 * alerts out. The graph is: normalize + match (chained to the source), then one keyed stage per
 * level of correlation chaining, each keyed by (app, group): the rules sharing a group share its
 * state, and a log's hits for one group travel as one {@link GroupHits}.
 */
public final class DetectionPipeline {
    /**
     * Accumulators counting the matches a Sigma filter or exception dropped are named this prefix,
     * then {@link RuleMatcher.Suppression#label()} ({@code exception ex-test-users (brute-force)}).
     */
    public static final String DROPPED_PREFIX = "fendersec-dropped|";

    private DetectionPipeline() {}

    /**
     * The streams detection produces.
     *
     * @param normalizedLogs every log as normalized for matching (timestamps kept), for another
     *                       engine to read without normalizing again; null unless asked for
     */
    public record Streams(DataStream<Alert> alerts, DataStream<LogRecord> tooLateLogs,
                          DataStream<NormalizedLog> normalizedLogs) {}

    public static DataStream<Alert> apply(DataStream<LogRecord> logs, Normalizer normalizer, RuleSet rules,
                                          DetectionSettings settings) {
        return build(logs, normalizer, rules, settings, false).alerts();
    }

    /**
     * Like {@link #apply}, also returning the logs too late for correlations (for the archive)
     * and, with {@code withNormalizedLogs}, every log as normalized here (for SQL rules).
     */
    public static Streams build(DataStream<LogRecord> logs, Normalizer normalizer, RuleSet rules,
                                DetectionSettings settings, boolean withNormalizedLogs) {
        return build(logs, normalizer, rules, settings, withNormalizedLogs, null);
    }

    /**
     * Like {@link #build(DataStream, Normalizer, RuleSet, DetectionSettings, boolean)}, with rules
     * that change while the job runs when {@code live} is given: the rule snapshots reach every
     * detection operator as broadcast input (docs/rules.md, "Live rule changes"). The operators
     * keep their uids and keyed state, so a savepoint of a job with fixed rules restores into one
     * that watches its rules.
     */
    public static Streams build(DataStream<LogRecord> logs, Normalizer normalizer, RuleSet rules,
                                DetectionSettings settings, boolean withNormalizedLogs, LiveRules live) {
        return build(logs, normalizer, rules, settings, withNormalizedLogs, live, false);
    }

    /**
     * Like {@link #build(DataStream, Normalizer, RuleSet, DetectionSettings, boolean, LiveRules)};
     * with {@code arrivalLane} (continuous jobs, whose logs arrive now) logs too late for event-time
     * correlations are judged by their arrival as well ({@link ArrivalLane}): those of a device
     * whose clock is set back are re-timed by its offset, matched again for correlations only, and
     * counted by the same correlation stages.
     */
    public static Streams build(DataStream<LogRecord> logs, Normalizer normalizer, RuleSet rules,
                                DetectionSettings settings, boolean withNormalizedLogs, LiveRules live,
                                boolean arrivalLane) {
        int stages = Math.max(1, rules.maxStage());
        BroadcastStream<RuleSnapshot> changes = null;
        WatchedRules watched = null;
        if (live != null) {
            watched = live.watched().withStages(stages);
            changes = logs.getExecutionEnvironment()
                    .fromSource(new RuleWatchSource(watched, live.initial()), RuleWatchSource.watermarks(),
                            "rule files", RuleSnapshotTypeInfoFactory.TYPE)
                    .setParallelism(1).uid("fendersec-rule-watch")
                    .broadcast(RulesInForce.STATE);
        }
        SingleOutputStreamOperator<GroupHits> hits = (changes == null
                ? logs.process(new MatchFunction(normalizer, rules, settings, withNormalizedLogs),
                        GroupHitsTypeInfoFactory.TYPE)
                : logs.connect(changes).process(new LiveMatchFunction(normalizer, watched, live.initial(), rules,
                        settings, withNormalizedLogs), GroupHitsTypeInfoFactory.TYPE))
                .name("detect: normalize + match").uid("fendersec-detect-match");
        DataStream<LogRecord> tooLate = hits.getSideOutput(MatchFunction.TOO_LATE);
        DataStream<NormalizedLog> normalized = withNormalizedLogs ? hits.getSideOutput(MatchFunction.NORMALIZED) : null;
        DataStream<GroupHits> remaining = hits;
        if (arrivalLane) {
            remaining = hits.union(retimedHits(tooLate, normalizer, rules, settings, changes, watched, live));
        }
        DataStream<Alert> alerts = null;
        for (int stage = 1; stage <= stages; stage++) {
            DataStream<GroupHits> in = stages == 1 ? remaining
                    : remaining.filter(new StageIs(stage, false)).name("detect: stage " + stage + " hits");
            KeyedStream<GroupHits, String> keyed = in.keyBy(GroupHits::key, Types.STRING);
            SingleOutputStreamOperator<Alert> out = (changes == null
                    ? keyed.transform("detect: correlate stage " + stage, AlertTypeInfoFactory.TYPE,
                            new CorrelateOperator(new CorrelateFunction(rules, settings)))
                    // the broadcast operator of keyed.connect(changes).process(fn), with evictions
                    : keyed.connect(new DataStream<>(keyed.getExecutionEnvironment(), changes.getTransformation()))
                            .transform("detect: correlate stage " + stage, AlertTypeInfoFactory.TYPE,
                                    new LiveCorrelateOperator(
                                            new LiveCorrelateFunction(watched, live.initial(), rules, settings))))
                    .name("detect: correlate stage " + stage).uid("fendersec-detect-stage-" + stage);
            alerts = alerts == null ? out : alerts.union(out);
            if (stage < stages) {
                remaining = remaining.filter(new StageIs(stage, true))
                        .union(out.getSideOutput(CorrelateFunction.CHAINED));
            }
        }
        return new Streams(alerts, tooLate, normalized);
    }

    /** The arrival lane (keyed by app and device) and the match of what it re-times. */
    private static DataStream<GroupHits> retimedHits(DataStream<LogRecord> tooLate, Normalizer normalizer,
                                                     RuleSet rules, DetectionSettings settings,
                                                     BroadcastStream<RuleSnapshot> changes, WatchedRules watched,
                                                     LiveRules live) {
        DataStream<LogRecord> retimed = tooLate.keyBy(ArrivalLane::key, Types.STRING)
                .process(new ArrivalLane(ArrivalLane.Settings.defaults()), LogRecordTypeInfo.INSTANCE)
                .name("detect: arrival lane").uid("fendersec-detect-arrival-lane");
        return (changes == null
                ? retimed.process(MatchFunction.retimed(normalizer, rules, settings), GroupHitsTypeInfoFactory.TYPE)
                : retimed.connect(changes).process(LiveMatchFunction.retimed(normalizer, watched, live.initial(), rules,
                        settings), GroupHitsTypeInfoFactory.TYPE))
                .name("detect: match re-timed logs").uid("fendersec-detect-arrival-match");
    }

    /**
     * Rules that change while the job runs: what is watched, and the snapshot the job's rules
     * were compiled from (the rules given to {@code build} are {@code watched.compile(initial)}).
     */
    public record LiveRules(WatchedRules watched, RuleSnapshot initial) {}

    /** Keeps hits of one stage, or (after) of the stages after it. */
    private static final class StageIs implements FilterFunction<GroupHits> {
        private static final long serialVersionUID = 1L;
        private final int stage;
        private final boolean after;

        StageIs(int stage, boolean after) {
            this.stage = stage;
            this.after = after;
        }

        @Override
        public boolean filter(GroupHits h) {
            return after ? h.stage() > stage : h.stage() == stage;
        }
    }
}
