package io.fendersec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.engine.CorrelationProcessor;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * CPU time of the correlation logic alone, one thread, no Flink: {@link DetectionBenchmark}'s hits
 * (computed once) held, released and processed per key as the keyed stage does with in-order
 * input, then pruned, as the cleanup would. Flink's own costs (network, state table, timers) are
 * not in it: the quick loop for tuning {@code KeyState}, {@code SlidingWindow} and episodes.
 * Arguments: number of logs, rounds.
 */
public final class CorrelateMicroBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        RuleSet rules = DetectionBenchmark.generatedRules(100);
        RuleMatcher matcher = new RuleMatcher(rules);
        Normalizer normalizer = Normalizer.defaults();
        DetectionBenchmark.JsonLogs gen = new DetectionBenchmark.JsonLogs();
        DetectionBenchmark.Parse parse = new DetectionBenchmark.Parse();
        List<Hit> hits = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            LogRecord r = parse.map(gen.map(i));
            for (GroupHits g : matcher.match(normalizer.normalize(r), r.time().toEpochMilli(), true)) {
                hits.addAll(g.hits());
            }
        }
        // keys resolved up front: the state lookup is Flink's part, not timed here
        Map<String, Integer> keyIndex = new HashMap<>();
        int[] keys = new int[hits.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyIndex.computeIfAbsent(hits.get(i).key(), k -> keyIndex.size());
        }
        System.out.printf("%d logs, %d hits, %d keys%n", n, hits.size(), keyIndex.size());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long alerts = run(hits, keys, keyIndex.size(), rules);
            long c1 = mx.getCurrentThreadCpuTime();
            best = Math.min(best, c1 - c0);
            System.out.printf("round %d: %.0f ns CPU/hit, %.2f us CPU/log (%d alerts)%n", round + 1,
                    (c1 - c0) / (double) hits.size(), (c1 - c0) / 1e3 / n, alerts);
        }
        System.out.printf("best: %.0f ns CPU/hit%n", best / (double) hits.size());
    }

    private static long run(List<Hit> hits, int[] keys, int keyCount, RuleSet rules) {
        CorrelationProcessor processor = new CorrelationProcessor(rules, DetectionSettings.defaults());
        long[] alerts = {0};
        CorrelationProcessor.Output out = new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert a) {
                alerts[0]++;
            }

            @Override
            public void chained(Hit h) {}
        };
        KeyState[] states = new KeyState[keyCount];
        long watermark = Long.MIN_VALUE;
        for (int i = 0; i < keys.length; i++) {
            Hit h = hits.get(i);
            KeyState st = states[keys[i]];
            if (st == null) {
                st = states[keys[i]] = new KeyState();
            }
            st.hold(h);
            // the watermark trails by a minute, as in the benchmark job; release what it passed
            watermark = Math.max(watermark, h.time() - 60_000);
            for (Hit x : st.release(watermark)) {
                processor.process(st, x, out);
            }
            processor.prune(st, h.target(), watermark);
        }
        for (KeyState st : states) {
            for (Hit x : st.release(Long.MAX_VALUE)) {
                processor.process(st, x, out);
            }
        }
        return alerts[0];
    }
}
