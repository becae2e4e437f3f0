package io.fendersec.detect.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupHitsTypeInfoFactory;
import io.fendersec.detect.correlate.GroupState;
import io.fendersec.detect.correlate.GroupStateSerializer;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.model.Alert;

/**
 * One keyed stage of detection, keyed by (app, group): every rule with that group-by keeps its
 * window and episodes in the group's {@link GroupState}. Hits wait in state until the watermark
 * passes them and are then processed in event-time order ({@link Hit#ORDER}), so shuffled input
 * gives the alerts sorted input gives. Hits that arrive behind the watermark (but within the
 * allowed lateness, see {@link MatchFunction}) are processed at once; the sliding window inserts
 * them in place. A rule's state is dropped once nothing allowed can change it any more, the
 * group's once no rule has any.
 */
final class CorrelateFunction extends KeyedProcessFunction<String, GroupHits, Alert> {
    private static final long serialVersionUID = 1L;

    /** Hits for correlations of later stages (chaining). */
    static final OutputTag<GroupHits> CHAINED = new OutputTag<>("chained-hits", GroupHitsTypeInfoFactory.TYPE);

    private final RuleSet rules;
    private final CorrelationProcessor processor;
    private transient ValueState<GroupState> state;
    private transient Counter lateHits;

    CorrelateFunction(RuleSet rules, DetectionSettings settings) {
        this.rules = rules;
        this.processor = new CorrelationProcessor(rules, settings);
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("correlation-groups",
                GroupStateSerializer.INSTANCE));
        lateHits = getRuntimeContext().getMetricGroup().counter("lateHitsAccepted");
    }

    @Override
    public void processElement(GroupHits hits, Context ctx, Collector<Alert> out) throws Exception {
        GroupState st = state.value();
        if (st == null) {
            st = new GroupState();
        }
        if (hits.time() > ctx.timerService().currentWatermark()) {
            // One timer per group, at the earliest held hit: it releases every hit the watermark
            // has passed at once, instead of one timer (and one state access) per hit.
            boolean earliest = st.pending().isEmpty() || hits.time() < st.pending().get(0).time();
            st.hold(hits);
            if (earliest) {
                ctx.timerService().registerEventTimeTimer(hits.time());
            }
        } else {
            lateHits.inc(hits.targets().size());
            process(st, List.of(hits), ctx, out);
            scheduleCleanup(st, ctx);
        }
        state.update(st);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        GroupState st = state.value();
        if (st == null) {
            return;
        }
        long wm = ctx.timerService().currentWatermark();
        process(st, st.release(wm), ctx, out);
        for (Iterator<Map.Entry<String, KeyState>> it = st.rules().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, KeyState> e = it.next();
            if (processor.prune(e.getValue(), e.getKey(), wm)) {
                it.remove();
            }
        }
        if (st.isEmpty()) {
            state.clear();
            return;
        }
        if (!st.pending().isEmpty()) {
            ctx.timerService().registerEventTimeTimer(st.pending().get(0).time());
        }
        scheduleCleanup(st, ctx);
        state.update(st);
    }

    /** The hits of {@code batch}, each to its rule's state, in {@link Hit#ORDER} as the rules see them. */
    private void process(GroupState st, List<GroupHits> batch, Context ctx, Collector<Alert> out) {
        List<Hit> hits = new ArrayList<>();
        for (GroupHits g : batch) {
            hits.addAll(g.hits());
        }
        hits.sort(Hit.ORDER);
        CorrelationProcessor.Output o = output(out, ctx);
        for (Hit h : hits) {
            processor.process(st.rule(h.target()), h, o);
        }
    }

    /** Once nothing waits, a timer when the last rule's state here may be dropped. */
    private void scheduleCleanup(GroupState st, Context ctx) {
        if (!st.pending().isEmpty()) {
            return;
        }
        long at = Long.MIN_VALUE;
        for (Map.Entry<String, KeyState> e : st.rules().entrySet()) {
            long latest = e.getValue().latestTime();
            long retention = processor.retention(e.getKey());
            at = Math.max(at, latest < Long.MAX_VALUE - retention - 1 ? latest + retention + 1 : Long.MAX_VALUE);
        }
        if (at > Long.MIN_VALUE && at < Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    private CorrelationProcessor.Output output(Collector<Alert> out, Context ctx) {
        return new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert alert) {
                out.collect(alert);
            }

            @Override
            public void chained(Hit hit) {
                ctx.output(CHAINED, GroupHits.of(rules.hitStage(hit.target()), hit));
            }
        };
    }
}
