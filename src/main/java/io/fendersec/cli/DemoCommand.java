package io.fendersec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.job.JobRun;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.job.Pipeline;
import io.fendersec.job.RunResult;
import io.fendersec.model.Alert;
import io.fendersec.model.LabelMatcher;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.report.AlertFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec demo}: no setup, no arguments. Runs the bundled {@code jobs/demo.yaml} (the
 * embedded emulator with every attack scenario, the built-in pack) on the local MiniCluster and
 * scores the alerts against the emulator's ground truth. Output goes to {@code ./out/demo/}.
 */
@Command(name = "demo", description = "Run the demo: every attack scenario on the built-in emulator, "
        + "the built-in rules, and the detection recall. Writes ./out/demo/.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_JOB = "/jobs/demo.yaml";
    static final Path OUT = Path.of("out", "demo");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path base = Path.of("").toAbsolutePath();
        // A previous demo's files would be counted again: the demo owns ./out/demo and starts clean.
        deleteTree(base.resolve(OUT));
        JobSpec job = new JobSpecReader().readResource(DEMO_JOB, base);

        AtomicReference<List<ScenarioLabel>> labels = new AtomicReference<>(List.of());
        ProgressLine progress = ProgressLine.forConsole(err);
        out.println("fendersec demo: generating two days of logs with every attack scenario on the built-in emulator...");
        out.flush();
        RunResult result = JobRun.of(job)
                .fresh(true)
                .onEmulator(e -> {
                    labels.set(e.emulator().labels());
                    err.println("emulator up at " + e.emulator().baseUrl() + "; reading " + e.start() + " to " + e.end());
                })
                .progress(progress::show)
                .log(line -> err.println(TerminalText.lines(line)))
                .run();
        progress.done();

        List<Alert> alerts = latestById(AlertFiles.read(AlertFiles.find(List.of(base.resolve(OUT).resolve("alerts")))).alerts());
        Collection<String> ruleIds = Pipeline.loadRules(job).rules().keySet();
        print(out, result, alerts, labels.get(), ruleIds, base);
        return ExitCode.OK;
    }

    static void print(PrintWriter out, RunResult result, List<Alert> alerts, List<ScenarioLabel> labels,
            Collection<String> ruleIds, Path base) {
        double seconds = Math.max(1, result.duration().toMillis()) / 1000.0;
        out.printf("%nread %,d logs in %.1f s (%,.0f logs/s)%n%n", result.logs(), seconds, result.logs() / seconds);

        Map<String, Map<String, Integer>> byRule = new TreeMap<>();
        for (Alert a : alerts) {
            byRule.computeIfAbsent(a.ruleId(), k -> new TreeMap<>()).merge(a.severity(), 1, Integer::sum);
        }
        out.printf("%-28s %-10s %6s%n", "rule", "severity", "alerts");
        // Rule ids, apps and groups come from rule files and devices: printed with control characters escaped.
        byRule.forEach((rule, sev) -> sev.forEach((s, n) -> out.printf("%-28s %-10s %6d%n", TerminalText.line(rule),
                TerminalText.line(s), n)));
        out.printf("%-28s %-10s %6d%n%n", "total", "", alerts.size());

        LabelMatcher.Result score = LabelMatcher.match(alerts, labels);
        int all = score.found().size() + score.missed().size();
        out.printf("recall: %d/%d labels (%.0f%%)%n", score.found().size(), all, 100.0 * score.recall());
        for (ScenarioLabel l : score.missed()) {
            out.printf("  missed: %s in app %s %s%s%n", TerminalText.line(l.ruleId()), TerminalText.line(l.app()),
                    TerminalText.line(String.valueOf(l.group())),
                    ruleIds.contains(l.ruleId()) ? "" : " (no such rule loaded)");
        }
        out.printf("false alerts: %d%n", score.unexpected().size());
        for (Alert a : score.unexpected()) {
            out.printf("  %s %s app %s %s%n", TerminalText.line(a.ruleId()), TerminalText.line(a.severity()),
                    TerminalText.line(a.app()), TerminalText.line(String.valueOf(a.group())));
        }
        out.printf("%nwritten under %s:%n", base.resolve(OUT));
        out.printf("  alerts   %s%n", base.resolve(OUT).resolve("alerts"));
        out.printf("  logs     %s%n", base.resolve(OUT).resolve("logs"));
        out.printf("  labels   %s%n", base.resolve(OUT).resolve("labels.jsonl"));
        // Relative to the folder the demo ran in, with the command that started it: pasteable as is.
        out.printf("%nnext: %s report %s --out %s%n", Invocation.command(), OUT.resolve("alerts"),
                OUT.resolve("report.html"));
        out.flush();
    }

    /** An episode may be written again as it grows; the latest version of each alert_id counts once. */
    static List<Alert> latestById(List<Alert> alerts) {
        Map<String, Alert> latest = new LinkedHashMap<>();
        for (Alert a : alerts) {
            latest.merge(a.alertId(), a, (x, y) -> y.count() >= x.count() ? y : x);
        }
        return new ArrayList<>(latest.values());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
