package io.fendersec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.error.ConfigException;

/**
 * Loads every rule file under the given folders (a checkout of the public SigmaHQ rule repository)
 * one by one, as a user's rule files would be, and reports how many load, how many are skipped by
 * logsource, and each refusal grouped by reason. Then loads all loadable ones at once and times it.
 * Not a unit test: {@code java -cp ... io.fendersec.bench.SigmaHqLoad /tmp/sigmahq/rules ...}.
 */
public final class SigmaHqLoad {
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            try (Stream<Path> s = Files.walk(Paths.get(a))) {
                s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        int loaded = 0;
        int skipped = 0;
        Map<String, List<String>> refused = new TreeMap<>();
        Map<String, Integer> products = new TreeMap<>();
        List<Path> loadable = new ArrayList<>();
        for (Path f : files) {
            try {
                RuleSet any = RuleLoader.create().anyLogsource(true).file(f).load();
                loadable.add(f);
                RuleSet rs = RuleLoader.create().file(f).load();
                if (rs.skipped().isEmpty()) {
                    loaded++;
                } else {
                    skipped++;
                    String reason = rs.skipped().get(0).reason();
                    products.merge(reason.replaceAll("^logsource product '([^']*)'.*", "$1"), 1, Integer::sum);
                }
                if (any.size() == 0) {
                    throw new IllegalStateException(f + " has no rule");
                }
            } catch (ConfigException e) {
                refused.computeIfAbsent(group(e.getMessage()), k -> new ArrayList<>()).add(e.getMessage());
            }
        }
        int refusedCount = refused.values().stream().mapToInt(List::size).sum();
        System.out.printf("files: %d; loaded and run on Bugfender logs: %d; skipped by logsource: %d; refused: %d%n",
                files.size(), loaded, skipped, refusedCount);
        System.out.println("skipped by product: " + products);
        refused.forEach((k, v) -> {
            System.out.printf("refused %d: %s%n", v.size(), k);
            v.stream().limit(3).forEach(m -> System.out.println("    e.g. " + m));
        });
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            RuleLoader all = RuleLoader.create().anyLogsource(true);
            loadable.forEach(all::file);
            long c1 = mx.getCurrentThreadCpuTime();
            RuleSet rs = all.load();
            System.out.printf("load all %d loadable files at once (logsource ignored): %d rules in %d ms wall,"
                    + " %d ms CPU (%d ms reading YAML)%n", loadable.size(), rs.size(),
                    (System.nanoTime() - t0) / 1_000_000, (mx.getCurrentThreadCpuTime() - c0) / 1_000_000,
                    (c1 - c0) / 1_000_000);
        }
    }

    /** The message without file, line and quoted specifics. */
    private static String group(String msg) {
        String m = msg.replaceFirst("^[^:]*\\.yml(:\\d+)?: ", "");
        return m.replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N");
    }
}
