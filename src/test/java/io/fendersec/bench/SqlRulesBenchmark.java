package io.fendersec.bench;

import java.nio.file.Path;
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
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * Throughput of the sample SQL rules (sql/*.sql) against the no-rules job over the same input as
 * {@link DetectionBenchmark}. Not a unit test; see docs/benchmarks.md, "SQL rules".
 */
public final class SqlRulesBenchmark {
    static final List<Path> SAMPLES = List.of(Path.of("sql/device-many-accounts.sql"),
            Path.of("sql/version-error-rate-rise.sql"), Path.of("sql/new-device-model-login.sql"));

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        run(n / 4, parallelism, false);
        run(n / 4, parallelism, true);
        double base = Math.max(run(n, parallelism, false), run(n, parallelism, false));
        double sql = Math.max(run(n, parallelism, true), run(n, parallelism, true));
        System.out.printf("no rules:         %.0f logs/s%n", base);
        System.out.printf("3 sample SQL rules: %.0f logs/s%n", sql);
        System.out.printf("ratio:            %.2f%n", sql / base);
    }

    static double run(long n, int parallelism, boolean sql) throws Exception {
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
        if (sql) {
            SqlRules.apply(env, logs, Normalizer.defaults(), SAMPLES, DetectionSettings.defaults())
                    .sinkTo(new DiscardingSink<>());
        } else {
            logs.sinkTo(new DiscardingSink<>());
        }
        // timed from execute, so the planner's start (in apply, above) is not counted
        long start = System.nanoTime();
        env.execute(sql ? "sql rules" : "baseline");
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
