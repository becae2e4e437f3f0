package io.fendersec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

/**
 * Issue 14: the stateless stage (normalize + match) per emulator log, single thread, with the
 * built-in pack alone, the pack plus the SigmaHQ rules that run on Bugfender logs (logsource
 * filtering on), and the pack plus every loadable SigmaHQ rule with the logsource bypassed (the
 * thousand-rule case). Thread CPU time per log, best of the rounds. Not a unit test:
 * {@code java -cp ... io.fendersec.bench.SigmaHqBenchmark /tmp/sigmahq/rules ...}; docs/benchmarks.md.
 */
public final class SigmaHqBenchmark {
    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            try (Stream<Path> s = Files.walk(Paths.get(a))) {
                s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        List<Path> loadable = new ArrayList<>();
        for (Path f : files) {
            try {
                RuleLoader.create().anyLogsource(true).file(f).load();
                loadable.add(f);
            } catch (ConfigException e) {
                // refused (placeholders): see SigmaHqLoad
            }
        }
        RuleSet pack = RuleLoader.create().builtin(List.of("all")).load();
        RuleLoader filtered = RuleLoader.create().builtin(List.of("all"));
        loadable.forEach(filtered::file);
        RuleSet withRunnable = filtered.load();
        RuleLoader all = RuleLoader.create().builtin(List.of("all")).anyLogsource(true);
        loadable.forEach(all::file);
        RuleSet withAll = all.load();

        Dataset d = new DatasetGenerator(42, 3, 2, Instant.parse("2026-11-28T00:00:00Z"), 50_000,
                ArrivalDelays.defaults(), Scenarios.byName("all").orElseThrow()).generate();
        List<LogRecord> logs = new ArrayList<>();
        for (GeneratedApp app : d.apps()) {
            for (GeneratedLog l : d.logs(app.id())) {
                logs.add(l.record());
            }
        }
        System.out.printf("logs: %d; rules: pack %d, pack + runnable SigmaHQ %d (%d skipped by logsource),"
                + " pack + all loadable SigmaHQ %d%n", logs.size(), pack.detections().size(),
                withRunnable.detections().size(), withRunnable.skipped().size(), withAll.detections().size());
        Normalizer normalizer = Normalizer.defaults();
        RuleSet[] sets = {pack, withRunnable, withAll};
        String[] names = {"pack", "pack + SigmaHQ (logsource on)", "pack + SigmaHQ (logsource bypassed)"};
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long[] hits = new long[3];
        int rounds = args.length > 0 && System.getProperty("rounds") != null ? Integer.getInteger("rounds") : 4;
        // -Dsets=2 runs the bypassed case alone (for a profile)
        String only = System.getProperty("sets", "0,1,2");
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < sets.length; s++) {
                if (!("," + only + ",").contains("," + s + ",")) {
                    continue;
                }
                double us = run(logs, normalizer, new RuleMatcher(sets[s]), hits, s);
                best[s] = Math.min(best[s], us);
                System.out.printf("round %d %-38s %.2f us CPU/log (%.0f logs/s per core), %d hits, load %s%n",
                        round + 1, names[s], us, 1e6 / us, hits[s], PackBenchmark.load());
            }
        }
        for (int s = 0; s < sets.length; s++) {
            System.out.printf("best %-38s %.2f us CPU/log, %.0f logs/s per core, ratio to pack %.2f%n", names[s],
                    best[s], 1e6 / best[s], best[0] / best[s]);
        }
    }

    private static double run(List<LogRecord> logs, Normalizer normalizer, RuleMatcher matcher, long[] hits, int s) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<GroupHits> out = new ArrayList<>();
        long h = 0;
        long c0 = mx.getCurrentThreadCpuTime();
        for (LogRecord r : logs) {
            NormalizedLog log = normalizer.normalize(r);
            out.clear();
            matcher.match(log, 0L, true, out);
            h += out.size();
        }
        long c1 = mx.getCurrentThreadCpuTime();
        hits[s] = h;
        return (c1 - c0) / 1e3 / logs.size();
    }
}
