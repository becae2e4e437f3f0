package io.fendersec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.job.JobRun;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.job.RunResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec run JOB.yaml}: runs a job on the local MiniCluster ({@code java -jar}) or, through
 * {@code flink run target/fendersec.jar run JOB.yaml}, on a Flink cluster. A bounded job ends by
 * itself and exits 0 (no alerts) or 1 (alerts); a continuous one runs until stopped.
 */
@Command(name = "run", description = "Run a job. A bounded job ends by itself: exit 0 when clean, 1 when alerts were found.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec.")
    Path job;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key, e.g. --set source.page-size=500.")
    List<String> sets = List.of();

    @Option(names = "--from-checkpoint", paramLabel = "PATH",
            description = "Resume from this retained checkpoint or savepoint.")
    String fromCheckpoint;

    @Option(names = "--fresh", description = "Ignore retained checkpoints in checkpointing.dir and start over.")
    boolean fresh;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JobSpecReader reader = new JobSpecReader();
        sets.forEach(reader::set);
        JobSpec parsed = reader.read(job);
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = ProgressLine.forConsole(err);
        RunResult result;
        try {
            result = JobRun.of(parsed).fromCheckpoint(fromCheckpoint).fresh(fresh)
                    .log(line -> err.println(TerminalText.lines(line))).progress(progress::show).run();
        } finally {
            progress.done();
        }
        printSummary(result, err);
        return result.alerts() > 0 ? ExitCode.ALERTS : ExitCode.OK;
    }

    static void printSummary(RunResult r, PrintWriter out) {
        Duration d = r.duration();
        double seconds = Math.max(d.toMillis(), 1) / 1000.0;
        out.printf("read %,d logs in %.1f s (%,.0f logs/s)%n", r.logs(), seconds, r.logs() / seconds);
        for (Map.Entry<String, Long> e : r.logsByApp().entrySet()) {
            out.printf("  app %-24s %,d logs%n", TerminalText.line(e.getKey()), e.getValue());
        }
        if (!r.clientCounters().isEmpty()) {
            StringBuilder sb = new StringBuilder("  ");
            r.clientCounters().forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
            out.println(sb.toString().stripTrailing());
        }
        if (r.alertsByRule().isEmpty()) {
            out.println("alerts: none");
        } else {
            out.printf("alerts: %,d%n", r.alerts());
            r.alertsByRule().forEach((k, v) -> {
                String[] ruleSeverity = k.split("\\|", 2);
                out.printf("  %-28s %-10s %,d%n", TerminalText.line(ruleSeverity[0]),
                        TerminalText.line(ruleSeverity.length > 1 ? ruleSeverity[1] : ""), v);
            });
        }
        // Live rule changes (a continuous job watching its rule files): what took effect, what did not.
        long applied = r.clientCounters().getOrDefault("ruleChangesApplied", 0L);
        long failed = r.clientCounters().getOrDefault("ruleReloadFailures", 0L);
        if (applied > 0 || failed > 0) {
            out.printf("rule changes: %,d applied, %,d correlations restarted empty, %,d refused (the rules in force"
                    + " stayed; see the log)%n", applied, r.clientCounters().getOrDefault("rulesRestartedEmpty", 0L),
                    failed);
        }
        // Correlation state over rules.max-groups (an attack flooding keys): what was dropped to stay bounded.
        long evicted = r.clientCounters().getOrDefault("groupsEvicted", 0L);
        if (evicted > 0) {
            out.printf("correlation state: %,d groups evicted at rules.max-groups (see the state-pressure alerts)%n",
                    evicted);
        }
        // Nothing silenced without a count: every filter and exception, with what it dropped.
        r.droppedMatches().forEach((label, n) -> out.printf(label.startsWith(RunResult.BUDGET_LABEL)
                ? "%s: %,d alerts held back, counted in roll-up alerts%n"
                : label.startsWith(RunResult.ARCHIVE_LABEL) ? "%s: %,d%n" : "%s: %,d matches dropped%n",
                TerminalText.line(label), n));
        if (r.resumedFrom() != null) {
            out.println("resumed from " + r.resumedFrom());
        }
        out.flush();
    }
}
