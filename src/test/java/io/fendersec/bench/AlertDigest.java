package io.fendersec.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.engine.CorrelationProcessor;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * The alerts of {@link DetectionBenchmark}'s input and rules, every field, as a digest: run it on
 * two builds to check that a change to detection's performance changes no alert. Three ways, each
 * deterministic: the local evaluator (sorted input), the correlation processor fed each key's hits
 * shuffled (every hit out of order: the late-hit path), and the streaming job (parallelism 2).
 * Not a unit test; arguments: number of logs, optionally a file to write the alerts to, and
 * {@code updates} to re-emit grown episodes (emit-updates on).
 */
public final class AlertDigest {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        RuleSet rules = DetectionBenchmark.generatedRules(100);
        DetectionSettings settings = DetectionSettings.defaults().withEmitUpdates(args.length > 2
                && args[2].equals("updates"));
        List<LogRecord> logs = new ArrayList<>();
        DetectionBenchmark.JsonLogs gen = new DetectionBenchmark.JsonLogs();
        DetectionBenchmark.Parse parse = new DetectionBenchmark.Parse();
        for (long i = 0; i < n; i++) {
            logs.add(parse.map(gen.map(i)));
        }
        List<String> lines = new ArrayList<>();
        lines.addAll(report("local, sorted", LocalEvaluator.evaluate(logs, Normalizer.defaults(), rules, settings)));
        lines.addAll(report("processor, shuffled per key", shuffledPerKey(logs, rules, settings)));
        lines.addAll(report("streaming job", job(n, rules, settings)));
        if (args.length > 1) {
            Files.write(Path.of(args[1]), lines, StandardCharsets.UTF_8);
        }
    }

    private static List<String> report(String what, List<Alert> alerts) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Alert a : alerts) {
            lines.add(a.alertId() + " " + a.ruleId() + " " + a.kind() + " " + a.app() + " " + a.group() + " "
                    + a.windowStart() + ".." + a.windowEnd() + " seen " + a.firstSeen() + ".." + a.lastSeen()
                    + " count " + a.count() + " device " + a.device() + " evidence " + a.evidence());
        }
        Collections.sort(lines);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String l : lines) {
            sha.update(l.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        System.out.printf("%-28s %7d alerts  sha256 %s%n", what, lines.size(),
                HexFormat.of().formatHex(sha.digest()));
        lines.replaceAll(l -> what + ": " + l);
        return lines;
    }

    /** Stage 1 only (the generated rules chain nothing): each key's hits in a seeded random order. */
    private static List<Alert> shuffledPerKey(List<LogRecord> logs, RuleSet rules, DetectionSettings settings) {
        RuleMatcher matcher = new RuleMatcher(rules);
        Normalizer normalizer = Normalizer.defaults();
        Map<String, List<Hit>> byKey = new LinkedHashMap<>();
        for (LogRecord r : logs) {
            for (GroupHits g : matcher.match(normalizer.normalize(r), r.time().toEpochMilli(), true)) {
                for (Hit h : g.hits()) {
                    byKey.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(h);
                }
            }
        }
        CorrelationProcessor processor = new CorrelationProcessor(rules, settings);
        List<Alert> alerts = new ArrayList<>();
        CorrelationProcessor.Output out = new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert alert) {
                alerts.add(alert);
            }

            @Override
            public void chained(Hit hit) {
                throw new IllegalStateException("no chaining expected");
            }
        };
        Random r = new Random(1);
        for (List<Hit> hits : byKey.values()) {
            Collections.shuffle(hits, r);
            KeyState st = new KeyState();
            hits.forEach(h -> processor.process(st, h, out));
        }
        return alerts;
    }

    private static List<Alert> job(long n, RuleSet rules, DetectionSettings settings) throws Exception {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(2);
        DataGeneratorSource<String> source = new DataGeneratorSource<>(new DetectionBenchmark.JsonLogs(), n,
                RateLimiterStrategy.noOp(), Types.STRING);
        DataStream<LogRecord> logs = env.fromSource(source, WatermarkStrategy.noWatermarks(), "gen")
                .map(new DetectionBenchmark.Parse(), io.fendersec.model.LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(
                        java.time.Duration.ofMinutes(1)).withTimestampAssigner((rec, ts) -> rec.time().toEpochMilli()));
        List<Alert> out = new ArrayList<>();
        DetectionPipeline.apply(logs, Normalizer.defaults(), rules, settings).executeAndCollect("digest")
                .forEachRemaining(out::add);
        return out;
    }
}
