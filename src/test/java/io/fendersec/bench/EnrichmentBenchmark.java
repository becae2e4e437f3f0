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
import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.detect.enrich.Lookup;
import io.fendersec.detect.enrich.LookupFormat;
import io.fendersec.detect.enrich.LookupTable;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * Issue 18: the cost of enrichment end to end. The built-in pack plus a Sigma rule on a joined
 * column ({@code vip.tier}), wired as {@code job.Pipeline} wires Sigma alone and Sigma + SQL,
 * without and with two lookups (10,000 accounts by {@code user.name}; 1,000 networks by
 * {@code source.ip}, CIDR), over {@link DetectionBenchmark}'s input. Alternating rounds. Not a unit
 * test; see docs/benchmarks.md, "Enrichment".
 */
public final class EnrichmentBenchmark {
    static final String VIP_RULE = """
            title: VIP failed sign-in
            name: vip-login-failure
            detection:
              sel: {event.action: login, event.outcome: failure, vip.tier: gold}
              condition: sel
            """;

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean sql = Boolean.parseBoolean(System.getProperty("sql", "false"));
        RuleSet rules = RuleLoader.create().builtin(List.of("all")).text("vip.yml", VIP_RULE).load();
        StringBuilder vip = new StringBuilder("account,tier\n");
        for (int i = 0; i < 10_000; i++) {
            vip.append("user").append(i).append("@example.com,").append(i % 10 == 0 ? "gold" : "silver").append('\n');
        }
        StringBuilder nets = new StringBuilder("network,site\n");
        for (int i = 0; i < 1_000; i++) {
            nets.append("10.").append(i / 250).append('.').append(i % 250).append(".0/24,site").append(i).append('\n');
        }
        Normalizer plain = Normalizer.defaults();
        Normalizer enriched = plain.withEnrichment(Enrichment.of(List.of(
                new Lookup("user.name", "vip", LookupTable.parse("vip.csv", vip.toString(), LookupFormat.CSV, null,
                        KeyMatch.EXACT)),
                new Lookup("source.ip", "internal", LookupTable.parse("nets.csv", nets.toString(), LookupFormat.CSV,
                        null, KeyMatch.CIDR))), null));
        System.out.printf("%d rules%s, %d logs, parallelism %d%n", rules.size(), sql ? " + SQL samples" : "", n,
                parallelism);
        run(n / 4, parallelism, rules, plain, sql);
        run(n / 4, parallelism, rules, enriched, sql);
        for (int r = 0; r < rounds; r++) {
            double a = run(n, parallelism, rules, plain, sql);
            double b = run(n, parallelism, rules, enriched, sql);
            System.out.printf("round %d (load %s): no lookups %.0f logs/s, two lookups %.0f logs/s, ratio %.2f%n",
                    r + 1, PackBenchmark.load(), a, b, b / a);
        }
    }

    static double run(long n, int parallelism, RuleSet rules, Normalizer normalizer, boolean sql) throws Exception {
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
        DetectionSettings settings = DetectionSettings.defaults();
        DetectionPipeline.Streams d = DetectionPipeline.build(logs, normalizer, rules, settings, sql);
        DataStream<Alert> alerts = !sql ? d.alerts() : d.alerts().union(SqlRules.applyToNormalized(env,
                d.normalizedLogs(), SqlRulesBenchmark.SAMPLES, settings));
        alerts.sinkTo(new DiscardingSink<>());
        long start = System.nanoTime();
        env.execute("enrichment");
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
