package io.fendersec.sink.budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;

/**
 * Keeps each rule within its {@link AlertBudget} per device and period, keyed by {@link #KEY}.
 *
 * <p>Periods are event-time buckets of the alert's {@code last_seen} aligned to the epoch (not to
 * when the job started), and the roll-up's id is derived from rule, app, device and bucket: a replay
 * writes the same roll-up. The first {@code max-alerts} alerts of a bucket pass at once, so an attack
 * is seen while it happens; the rest are counted into the bucket's roll-up, emitted when the
 * watermark passes the bucket's end (a bounded run's last watermark passes them all).
 */
public final class AlertBudgetFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private static final long serialVersionUID = 1L;

    /** The roll-up alert's kind. */
    public static final String KIND = "rollup";
    /** Accumulator name prefix (one per rule) of the alerts held back; the run summary prints them. */
    public static final String HELD_PREFIX = "fendersec-budget-held|";
    /** Evidence ids a roll-up keeps (the first ones held back): enough to open, never unbounded. */
    static final int MAX_EVIDENCE = 10;

    /** Rule, app and device (or the group when the alert names no device): who is budgeted. */
    public static final KeySelector<Alert, String> KEY = a -> a.ruleId() + '\u0000' + (a.app() == null ? "" : a.app())
            + '\u0000' + (a.device() != null ? "d:" + a.device() : "g:" + new java.util.TreeMap<>(a.group()));

    private final AlertBudget budget;
    private transient MapState<Long, Long> delivered;
    private transient MapState<Long, Alert> rollups;
    private transient Counter heldMetric;
    private transient Map<String, LongCounter> heldByRule;

    public AlertBudgetFunction(AlertBudget budget) {
        this.budget = budget;
    }

    @Override
    public void open(OpenContext ctx) {
        delivered = getRuntimeContext().getMapState(new MapStateDescriptor<>("budget-delivered", Types.LONG, Types.LONG));
        rollups = getRuntimeContext().getMapState(new MapStateDescriptor<>("budget-rollups", Types.LONG,
                AlertTypeInfoFactory.TYPE));
        heldMetric = getRuntimeContext().getMetricGroup().counter("alertsHeldBack");
        heldByRule = new LinkedHashMap<>();
    }

    @Override
    public void processElement(Alert a, Context ctx, Collector<Alert> out) throws Exception {
        long per = budget.per().toMillis();
        long bucket = Math.floorDiv(a.lastSeen().toEpochMilli(), per) * per;
        Long n = delivered.get(bucket);
        if (n == null) {
            // the bucket's end: its roll-up goes out and its counts are forgotten
            ctx.timerService().registerEventTimeTimer(bucket + per - 1);
            n = 0L;
        }
        if (n < budget.maxAlerts()) {
            delivered.put(bucket, n + 1);
            out.collect(a);
            return;
        }
        rollups.put(bucket, rolledUp(rollups.get(bucket), a, bucket, per));
        heldMetric.inc();
        heldByRule.computeIfAbsent(a.ruleId(), r -> {
            LongCounter c = new LongCounter();
            getRuntimeContext().addAccumulator(HELD_PREFIX + r, c);
            return c;
        }).add(1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long bucket = timestamp + 1 - budget.per().toMillis();
        Alert rollup = rollups.get(bucket);
        if (rollup != null) {
            out.collect(rollup.toBuilder().title(rollup.title().replace(PENDING, Long.toString(rollup.count()))).build());
        }
        rollups.remove(bucket);
        delivered.remove(bucket);
    }

    /** In the title until the roll-up goes out, then the number held back. */
    private static final String PENDING = "{held}";

    /** The bucket's roll-up with {@code a} counted in. */
    private Alert rolledUp(Alert rollup, Alert a, long bucket, long per) {
        if (rollup == null) {
            Map<String, String> group = a.device() != null ? Map.of("device", a.device()) : a.group();
            return Alert.builder().alertId(Alert.idFor(a.ruleId() + "#budget", a.app(), group, bucket))
                    .ruleId(a.ruleId()).kind(KIND).severity(a.severity()).app(a.app()).group(group)
                    .title(a.title() + ": " + PENDING + " more alerts held back (alert budget " + budget.maxAlerts()
                            + " per " + budget.per().toString().substring(2).toLowerCase() + ")")
                    .window(bucket, bucket + per).seen(a.firstSeen().toEpochMilli(), a.lastSeen().toEpochMilli())
                    .count(1).evidence(a.evidence().stream().limit(MAX_EVIDENCE).toList()).device(a.device())
                    .tags(a.tags()).references(a.references()).build();
        }
        List<String> evidence = rollup.evidence();
        if (evidence.size() < MAX_EVIDENCE) {
            evidence = new ArrayList<>(evidence);
            for (String e : a.evidence()) {
                if (evidence.size() < MAX_EVIDENCE && !evidence.contains(e)) {
                    evidence.add(e);
                }
            }
        }
        return rollup.toBuilder().count(rollup.count() + 1).evidence(List.copyOf(evidence))
                .seen(Math.min(rollup.firstSeen().toEpochMilli(), a.firstSeen().toEpochMilli()),
                        Math.max(rollup.lastSeen().toEpochMilli(), a.lastSeen().toEpochMilli())).build();
    }
}
