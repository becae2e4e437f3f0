package io.fendersec.detect.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;

/**
 * Suppression for SQL alerts, keyed by (rule, app, group): the same episode rule as the Sigma
 * engine ({@link io.fendersec.detect.correlate.Episode#covers}). An alert whose episode start
 * {@code t} lies within {@code [start - suppression, last + suppression]} of the open episode is
 * a repeat and dropped, so one alert (with the first row's alert_id) stands for a run of
 * overlapping HOP windows, and update-afters of a changelog query (same id) are dropped too.
 *
 * <p>Rows of one key can come from several upstream subtasks in any order. So that the first
 * alert of an episode does not depend on that order, alerts wait until the watermark passes
 * their ready time (window end or last seen: the upstream emitted them at or after it, so by
 * then every alert that could precede them has arrived) and are processed by episode start.
 */
final class SqlEpisodes extends KeyedProcessFunction<String, Alert, Alert> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<Alert> BY_START = Comparator.comparing(Alert::windowStart)
            .thenComparing(Alert::firstSeen).thenComparing(Alert::alertId);

    private final long suppression;
    /** {episode start, last match, latest ready time}; null while no episode is open. */
    private transient ValueState<long[]> episode;
    private transient ListState<Alert> pending;

    SqlEpisodes(long suppressionMillis) {
        this.suppression = suppressionMillis;
    }

    static String key(Alert a) {
        // the id of the group at a fixed time: short, and unique per (rule, app, group)
        return Alert.idFor(a.ruleId(), a.app(), a.group(), Long.MIN_VALUE);
    }

    static long ready(Alert a) {
        return Math.max(a.windowEnd().toEpochMilli(), a.lastSeen().toEpochMilli());
    }

    @Override
    public void open(OpenContext ctx) {
        episode = getRuntimeContext().getState(new ValueStateDescriptor<>("sql-episode",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("sql-pending", AlertTypeInfoFactory.TYPE));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        pending.add(alert);
        // a time at or behind the watermark fires with the next watermark
        ctx.timerService().registerEventTimeTimer(ready(alert));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        List<Alert> due = new ArrayList<>();
        List<Alert> later = new ArrayList<>();
        for (Alert a : pending.get()) {
            (ready(a) <= wm ? due : later).add(a);
        }
        if (!due.isEmpty()) {
            pending.update(later);
            due.sort(BY_START);
            long[] ep = episode.value();
            for (Alert a : due) {
                ep = process(ep, a, out);
            }
            episode.update(ep);
        }
        long[] ep = episode.value();
        if (later.isEmpty() && ep != null) {
            long expiry = ep[2] + suppression;
            if (wm > expiry) {
                // no later row can fall within suppression of this episode any more (see docs/rules.md)
                episode.clear();
                pending.clear();
            } else {
                ctx.timerService().registerEventTimeTimer(expiry + 1);
            }
        }
    }

    private long[] process(long[] ep, Alert a, Collector<Alert> out) {
        // RowToAlert sets window_start to the episode start (window_start, else first_seen)
        long t = a.windowStart().toEpochMilli();
        if (ep != null && t >= ep[0] - suppression && t <= ep[1] + suppression) {
            return new long[] {ep[0], Math.max(ep[1], t), Math.max(ep[2], ready(a))};
        }
        out.collect(a);
        return new long[] {t, t, ready(a)};
    }
}
