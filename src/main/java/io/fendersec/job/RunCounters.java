package io.fendersec.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * Pass-through operators that count what a run read and found, as accumulators: they reach the
 * client at the end of the job on a MiniCluster and on a real cluster alike. They count as
 * metrics too (logs per app, alerts per rule), for a running job's health in Prometheus/Grafana.
 *
 * <p>Accumulators start at zero in a restarted task, while the task resumes reading from its
 * checkpoint; so the counts are checkpointed too and restored, and the summary stays exact
 * through a failover.
 *
 * <p>Each also shows its subtask's running total as a gauge ({@link #LOGS_GAUGE}, {@link
 * #ALERTS_GAUGE}): accumulators reach the client only with TaskManager heartbeats, too late for a
 * progress line; on a local MiniCluster {@link LocalRunMetrics#liveSum} reads the gauges at once.
 */
final class RunCounters {
    static final String LOGS = "fendersec-logs-by-app";
    static final String ALERTS = "fendersec-alerts-by-rule";
    static final String LOGS_GAUGE = "fendersecLogsRead";
    static final String ALERTS_GAUGE = "fendersecAlertsFound";

    private RunCounters() {}

    /** Counts logs per app. */
    static final class Logs extends Counting<LogRecord> {
        private static final long serialVersionUID = 1L;

        Logs() {
            super(LOGS, LOGS_GAUGE, r -> r.app() == null ? "?" : r.app(), r -> r.app() == null ? "?" : r.app(),
                    "app", "logsRead", List.of());
        }
    }

    /** Counts alerts per rule and severity ("rule|severity"). */
    static final class Alerts extends Counting<Alert> {
        private static final long serialVersionUID = 1L;

        /** @param ruleIds rules whose counters exist from the start: a quiet rule shows 0, not no series */
        Alerts(Collection<String> ruleIds) {
            super(ALERTS, ALERTS_GAUGE, a -> a.ruleId() + "|" + a.severity(), Alert::ruleId, "rule", "alerts",
                    ruleIds);
        }
    }

    abstract static class Counting<T> extends RichMapFunction<T, T> implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final String gauge;
        private final SerializableKey<T> key;
        private final SerializableKey<T> metricKey;
        private final String metricGroup;
        private final String metricName;
        private transient CountsByKey counts;
        private transient ListState<Map<String, Long>> state;
        private final ArrayList<String> knownMetricKeys;
        private transient Map<String, Counter> metrics;
        /** Restored plus counted since: read racily by the metrics thread, which is fine for progress. */
        private transient long total;

        /**
         * Counts by {@code key} into the accumulator {@code name} and the running total {@code gauge},
         * and by {@code metricKey} as the counter {@code <metricGroup>.<metricKey>.<metricName>},
         * registered up front for {@code knownMetricKeys} and on first sight for any other.
         */
        Counting(String name, String gauge, SerializableKey<T> key, SerializableKey<T> metricKey, String metricGroup,
                String metricName, Collection<String> knownMetricKeys) {
            this.name = name;
            this.gauge = gauge;
            this.key = key;
            this.metricKey = metricKey;
            this.metricGroup = metricGroup;
            this.metricName = metricName;
            this.knownMetricKeys = new ArrayList<>(knownMetricKeys);
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) throws Exception {
            counts = new CountsByKey();
            state = ctx.getOperatorStateStore().getListState(
                    new ListStateDescriptor<>(name, Types.MAP(Types.STRING, Types.LONG)));
            // Each entry is one subtask's counts; after rescaling, a subtask may get several.
            for (Map<String, Long> restored : state.get()) {
                restored.forEach((k, v) -> counts.getLocalValue().merge(k, v, Long::sum));
            }
            total = counts.getLocalValue().values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void open(OpenContext ctx) {
            getRuntimeContext().addAccumulator(name, counts);
            getRuntimeContext().getMetricGroup().gauge(gauge, (Gauge<Long>) () -> total);
            metrics = new HashMap<>();
            knownMetricKeys.forEach(this::metric);
        }

        @Override
        public T map(T value) {
            counts.add(key.apply(value));
            total++;
            // Metrics restart at zero after a failover (the accumulator's counts do not): Prometheus
            // counters are read as rates, which a reset does not disturb.
            metric(metricKey.apply(value)).inc();
            return value;
        }

        private Counter metric(String k) {
            return metrics.computeIfAbsent(k,
                    x -> getRuntimeContext().getMetricGroup().addGroup(metricGroup, x).counter(metricName));
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
            state.update(java.util.List.of(new java.util.HashMap<>(counts.getLocalValue())));
        }
    }

    /** A key function that travels in the job graph. */
    interface SerializableKey<T> extends Function<T, String>, java.io.Serializable {}
}
