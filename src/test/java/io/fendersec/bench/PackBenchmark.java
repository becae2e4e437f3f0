package io.fendersec.bench;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * Issue 7: throughput of the whole built-in pack plus the sample SQL rules (wired as
 * {@code job.Pipeline} wires them: Sigma pipeline ∪ SQL alerts) against the no-rules job, over
 * {@link DetectionBenchmark}'s input. Alternating rounds, wall clock and process CPU per log.
 * Not a unit test; see docs/benchmarks.md, "Built-in pack + SQL".
 */
public final class PackBenchmark {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        RuleSet pack = RuleLoader.create().builtin(List.of("all")).load();
        System.out.printf("pack: %d rules (%d detections, %d correlations) + %d SQL rules%n", pack.size(),
                pack.detections().size(), pack.correlations().size(), SqlRulesBenchmark.SAMPLES.size());
        run(n / 4, parallelism, null);
        run(n / 4, parallelism, pack);
        double base = 0;
        double rules = 0;
        for (int r = 0; r < rounds; r++) {
            long c0 = cpuNanos();
            double b = run(n, parallelism, null);
            long c1 = cpuNanos();
            double d = run(n, parallelism, pack);
            long c2 = cpuNanos();
            System.out.printf("round %d (load %s): no rules %.0f logs/s (%.1f us CPU/log), pack+SQL %.0f logs/s"
                    + " (%.1f us CPU/log), ratio %.2f, CPU ratio %.2f%n", r + 1, load(), b, (c1 - c0) / 1e3 / n, d,
                    (c2 - c1) / 1e3 / n, d / b, (double) (c1 - c0) / (c2 - c1));
            base = Math.max(base, b);
            rules = Math.max(rules, d);
        }
        System.out.printf("no rules:   %.0f logs/s%n", base);
        System.out.printf("pack + SQL: %.0f logs/s%n", rules);
        System.out.printf("ratio:      %.2f (best of each)%n", rules / base);
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double run(long n, int parallelism, RuleSet pack) throws Exception {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(parallelism);
        DataGeneratorSource<String> source = new DataGeneratorSource<>(new DetectionBenchmark.JsonLogs(), n,
                RateLimiterStrategy.noOp(), Types.STRING);
        DataStream<LogRecord> logs = env.fromSource(source, WatermarkStrategy.noWatermarks(), "gen")
                .map(new DetectionBenchmark.Parse(), LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(
                        Duration.ofMinutes(1)).withTimestampAssigner((r, ts) -> r.time().toEpochMilli()));
        if (pack == null) {
            logs.sinkTo(new DiscardingSink<>());
        } else {
            Normalizer normalizer = Normalizer.defaults();
            DetectionSettings settings = DetectionSettings.defaults();
            DataStream<Alert> alerts;
            if (Boolean.parseBoolean(System.getProperty("normalizeTwice", "false"))) {
                // before issue 16's change: SQL normalizes every log again
                alerts = DetectionPipeline.apply(logs, normalizer, pack, settings)
                        .union(SqlRules.apply(env, logs, normalizer, SqlRulesBenchmark.SAMPLES, settings));
            } else {
                // as job.Pipeline wires both engines: SQL reads the logs the Sigma operator normalized
                DetectionPipeline.Streams d = DetectionPipeline.build(logs, normalizer, pack, settings, true);
                alerts = d.alerts().union(SqlRules.applyToNormalized(env, d.normalizedLogs(),
                        SqlRulesBenchmark.SAMPLES, settings));
            }
            alerts.sinkTo(new DiscardingSink<>());
        }
        // timed from execute: SQL planning (in apply, above) is not counted
        long start = System.nanoTime();
        env.execute(pack == null ? "baseline" : "pack+sql");
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
