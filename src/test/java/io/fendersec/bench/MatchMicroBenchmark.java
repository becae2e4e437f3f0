package io.fendersec.bench;

import java.util.ArrayList;
import java.util.List;

import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogRecord;

/**
 * Single-thread cost of the stateless stage (normalize, then match the benchmark's 100 rules)
 * per log, without Flink: the quick loop for tuning the matcher. See docs/benchmarks.md.
 */
public final class MatchMicroBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        DetectionBenchmark.JsonLogs gen = new DetectionBenchmark.JsonLogs();
        DetectionBenchmark.Parse parse = new DetectionBenchmark.Parse();
        List<LogRecord> logs = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            logs.add(parse.map(gen.map(i)));
        }
        RuleSet rules = DetectionBenchmark.generatedRules(100);
        Normalizer normalizer = Normalizer.defaults();
        RuleMatcher matcher = new RuleMatcher(rules);
        List<GroupHits> out = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            long hits = 0;
            long t0 = System.nanoTime();
            for (LogRecord r : logs) {
                hits += normalizer.normalize(r).extracted().size();
            }
            long t1 = System.nanoTime();
            for (LogRecord r : logs) {
                NormalizedLog log = normalizer.normalize(r);
                out.clear();
                matcher.match(log, 0L, true, out);
                hits += out.size();
            }
            long t2 = System.nanoTime();
            // extracted() runs every extractor; matching extracts only the fields the rules read
            System.out.printf("extract every field: %.2f us/log   match (fields on demand): %.2f us/log   (%d)%n",
                    (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, hits);
        }
    }
}
