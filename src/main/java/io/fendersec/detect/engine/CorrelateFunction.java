package io.fendersec.detect.engine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.HitTypeInfoFactory;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.correlate.KeyStateSerializer;
import io.fendersec.model.Alert;

/**
 * One keyed stage of detection, keyed by (rule, app, group). Hits wait in state until the
 * watermark passes them and are then processed in event-time order, so shuffled input gives the
 * alerts sorted input gives. A hit that arrives behind the watermark (but within the allowed
 * lateness, see {@link MatchFunction}) is processed at once; the sliding window inserts it in
 * place. State is dropped once nothing allowed can change it any more.
 */
final class CorrelateFunction extends KeyedProcessFunction<String, Hit, Alert> {
    private static final long serialVersionUID = 1L;

    /** Hits for correlations of later stages (chaining). */
    static final OutputTag<Hit> CHAINED = new OutputTag<>("chained-hits", HitTypeInfoFactory.TYPE);

    private final CorrelationProcessor processor;
    private transient ValueState<KeyState> state;
    private transient Counter lateHits;

    CorrelateFunction(RuleSet rules, DetectionSettings settings) {
        this.processor = new CorrelationProcessor(rules, settings);
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("correlation", KeyStateSerializer.INSTANCE));
        lateHits = getRuntimeContext().getMetricGroup().counter("lateHitsAccepted");
    }

    @Override
    public void processElement(Hit hit, Context ctx, Collector<Alert> out) throws Exception {
        KeyState st = state.value();
        if (st == null) {
            st = new KeyState();
        }
        if (hit.time() > ctx.timerService().currentWatermark()) {
            // One timer per key, at the earliest held hit: it releases every hit the watermark
            // has passed at once, instead of one timer (and one state access) per hit.
            boolean earliest = st.pending().isEmpty() || hit.time() < st.pending().get(0).time();
            st.hold(hit);
            if (earliest) {
                ctx.timerService().registerEventTimeTimer(hit.time());
            }
        } else {
            lateHits.inc();
            processor.process(st, hit, output(out, ctx));
            scheduleCleanup(st, ctx);
        }
        state.update(st);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        KeyState st = state.value();
        if (st == null) {
            return;
        }
        long wm = ctx.timerService().currentWatermark();
        CorrelationProcessor.Output o = output(out, ctx);
        for (Hit h : st.release(wm)) {
            processor.process(st, h, o);
        }
        if (processor.prune(st, ruleId(ctx.getCurrentKey()), wm)) {
            state.clear();
            return;
        }
        if (!st.pending().isEmpty()) {
            ctx.timerService().registerEventTimeTimer(st.pending().get(0).time());
        }
        scheduleCleanup(st, ctx);
        state.update(st);
    }

    private void scheduleCleanup(KeyState st, Context ctx) {
        if (st.pending().isEmpty()) {
            long latest = st.latestTime();
            long retention = processor.retention(ruleId(ctx.getCurrentKey()));
            if (latest < Long.MAX_VALUE - retention - 1) {
                ctx.timerService().registerEventTimeTimer(latest + retention + 1);
            }
        }
    }

    private static String ruleId(String key) {
        int sep = key.indexOf('\u001f');
        return sep < 0 ? key : key.substring(0, sep);
    }

    private static CorrelationProcessor.Output output(Collector<Alert> out, Context ctx) {
        return new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert alert) {
                out.collect(alert);
            }

            @Override
            public void chained(Hit hit) {
                ctx.output(CHAINED, hit);
            }
        };
    }
}
