package io.fendersec.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.fendersec.detect.sql.SqlRules;
import io.fendersec.error.ExitCode;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.job.Pipeline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec validate JOB.yaml}: checks a spec without running it, including what it points
 * to (files exist, {@code ${env:}} references are set). Every error at once, one per line; exit 2.
 */
@Command(name = "validate", description = "Check a job spec without running it; every error at once.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec.")
    Path job;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key, e.g. --set source.page-size=500.")
    List<String> sets = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JobSpecReader reader = new JobSpecReader().checkReferences(true);
        sets.forEach(reader::set);
        JobSpec parsed = reader.read(job);
        // Rule files must parse too: Sigma compiled to predicates, SQL planned against the logs table.
        io.fendersec.detect.rule.RuleSet rules = Pipeline.loadRules(parsed);
        if (!parsed.rules.sql.isEmpty()) {
            SqlRules.validate(parsed.rules.sql);
        }
        spec.commandLine().getOut().println(job + ": valid (" + JobSummary.describe(parsed) + ")");
        RulesCommand.printSkipped(rules, spec.commandLine().getOut());
        RulesCommand.printSuppressions(rules, spec.commandLine().getOut(), java.time.Instant.now());
        RulesCommand.warnExpired(rules, spec.commandLine().getErr(), java.time.Instant.now());
        RulesCommand.warnAllowAll(rules, spec.commandLine().getErr());
        warnUnknownFields(parsed, spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /** {@link RulesCommand#warnUnknownFields} over the job's rule files, pipelines and normalizer. */
    static void warnUnknownFields(JobSpec parsed, java.io.PrintWriter err) {
        io.fendersec.detect.load.RuleLoader loader = io.fendersec.detect.load.RuleLoader.create()
                .placeholders(parsed.rules.placeholders).pipelines(parsed.rules.pipelines).paths(parsed.rules.sigma);
        loader.load();
        RulesCommand.warnUnknownFields(loader, parsed.normalizer(), err);
    }
}
