package io.fendersec.job;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for runs on the local MiniCluster, which shares the CLI's JVM: it keeps the
 * source's counters (pages, retries, API errors, token refreshes), including the final values of
 * those removed when the job ends, so that {@code fendersec run} can print them in its summary.
 * On a real cluster the counters live on the TaskManagers; see the Flink UI or a reporter there.
 */
public final class LocalRunMetrics implements MetricReporter {
    private static final Object LOCK = new Object();
    private static final Map<Counter, String> LIVE = new IdentityHashMap<>();
    private static final Map<String, Long> FINISHED = new HashMap<>();
    /** The run counters' live totals ({@link RunCounters#LOGS_GAUGE}, ...), by gauge; dropped when removed. */
    private static final Map<Gauge<?>, String> GAUGES = new IdentityHashMap<>();

    /** Enables the reporter in a local run's configuration. */
    public static void enable(Configuration conf) {
        conf.setString("metrics.reporter.fendersec.factory.class", Factory.class.getName());
    }

    /**
     * Sums per counter name, e.g. pagesFetched, retries.http-5xx, apiErrors.reset, tokenRefreshes,
     * exception.ex-test-users.droppedMatches.
     */
    public static Map<String, Long> totals() {
        synchronized (LOCK) {
            Map<String, Long> out = new TreeMap<>(FINISHED);
            LIVE.forEach((c, name) -> out.merge(name, c.getCount(), Long::sum));
            return out;
        }
    }

    /** The sum of the live gauges called {@code name} (0 when none is live): the running job's count. */
    public static long liveSum(String name) {
        synchronized (LOCK) {
            long sum = 0;
            for (Map.Entry<Gauge<?>, String> e : GAUGES.entrySet()) {
                if (e.getValue().equals(name) && e.getKey().getValue() instanceof Number) {
                    sum += ((Number) e.getKey().getValue()).longValue();
                }
            }
            return sum;
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (metric instanceof Gauge
                && (metricName.equals(RunCounters.LOGS_GAUGE) || metricName.equals(RunCounters.ALERTS_GAUGE))) {
            synchronized (LOCK) {
                GAUGES.put((Gauge<?>) metric, metricName);
            }
            return;
        }
        String name = nameOf(metricName, group);
        if (name != null && metric instanceof Counter) {
            synchronized (LOCK) {
                LIVE.put((Counter) metric, name);
            }
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        synchronized (LOCK) {
            GAUGES.remove(metric);
            String name = LIVE.remove(metric);
            if (name != null) {
                FINISHED.merge(name, ((Counter) metric).getCount(), Long::sum);
            }
        }
    }

    private static String nameOf(String metricName, MetricGroup group) {
        String[] scope = group.getScopeComponents();
        String parent = scope.length == 0 ? "" : scope[scope.length - 1];
        if (parent.equals("retries") || parent.equals("apiErrors")) {
            return parent + "." + metricName;
        }
        if (metricName.equals("droppedMatches") && scope.length >= 2) {
            return scope[scope.length - 2] + "." + parent + "." + metricName; // exception.<id>.droppedMatches
        }
        switch (metricName) {
            case "pagesFetched":
            case "tokenRefreshes":
            case "rateLimitWaits":
            case "tooLateLogs":
            case "groupsEvicted":
            case "ruleChangesApplied":
            case "rulesRestartedEmpty":
            case "ruleReloadFailures":
                return metricName;
            default:
                return null;
        }
    }

    /** Found by Flink through META-INF/services. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new LocalRunMetrics();
        }
    }
}
