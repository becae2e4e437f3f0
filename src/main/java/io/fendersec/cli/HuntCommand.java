package io.fendersec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fendersec.error.ConfigException;
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
 * {@code fendersec hunt RULES... --archive DIR --from T --to T}: tries rules on past logs, read
 * from a job's raw-log archive instead of the API. It is a job with {@code source.type: archive}
 * (the same pipeline as {@code run}: normalization, enrichment, exceptions, Sigma and SQL rules,
 * alert sinks), written for the command line: with {@code --job}, that job's settings and sinks
 * (and its archive folder, when {@code --archive} is not given) with the hunted rules in place of
 * its own; without, the console. Exit codes as {@code run}: 0 none, 1 alerts, 2 config, 5 failed.
 */
@Command(name = "hunt", description = "Try rules on past logs in a raw-log archive (a bounded job over its files)."
        + " Exit 0 when clean, 1 when alerts were found.")
final class HuntCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RULES", arity = "0..*",
            description = "Sigma rule files or folders (.sql files: SQL rules). None: the built-in pack, or the job's rules.")
    List<String> rules = List.of();

    @Option(names = "--archive", paramLabel = "DIR",
            description = "The archive folder (a job's sinks.archive.path). Default: the --job's sinks.archive.path.")
    Path archive;

    @Option(names = "--from", paramLabel = "TIME", description = "Start of the range, inclusive: RFC 3339 or relative "
            + "(-7d, -24h@h). Default: 24 hours ago.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the range, exclusive. Default: now.")
    String to;

    @Option(names = "--job", paramLabel = "JOB.yaml",
            description = "Take normalize, enrich, rules settings and sinks from this job (its source is not used).")
    Path job;

    @Option(names = "--builtin", description = "Also run the built-in rules (or the job's) beside RULES.")
    boolean builtin;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key, e.g. --set parallelism=2.")
    List<String> sets = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JobSpecReader reader = new JobSpecReader();
        sets.forEach(reader::set);
        JsonNode tree = job == null ? JsonNodeFactory.instance.objectNode() : JobSpecReader.tree(job);
        if (!tree.isObject()) {
            throw new ConfigException(job + ": expected a mapping with a source section at the top");
        }
        Path base = job == null ? Path.of("").toAbsolutePath() : job.toAbsolutePath().getParent();
        JobSpec parsed = reader.read(huntTree((ObjectNode) tree), job == null ? "hunt" : job.toString(), base);
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = ProgressLine.forConsole(err);
        RunResult result;
        try {
            result = JobRun.of(parsed).fresh(true).log(line -> err.println(TerminalText.lines(line)))
                    .progress(progress::show).run();
        } finally {
            progress.done();
        }
        RunCommand.printSummary(result, err);
        return result.alerts() > 0 ? ExitCode.ALERTS : ExitCode.OK;
    }

    /** The job as a hunt: its source replaced by the archive, its rules by RULES, no archive written. */
    ObjectNode huntTree(ObjectNode tree) {
        JsonNode oldSource = tree.get("source");
        ObjectNode sinks = tree.get("sinks") instanceof ObjectNode o ? o : null;
        JsonNode written = sinks == null || !(sinks.get("archive") instanceof ObjectNode a) ? null : a.get("path");
        ObjectNode source = JsonNodeFactory.instance.objectNode();
        source.put("type", "archive");
        ObjectNode where = source.putObject("archive");
        if (archive != null) {
            where.put("dir", archive.toAbsolutePath().normalize().toString());
        } else if (written != null && written.isTextual()) {
            where.put("dir", written.asText()); // as the job wrote it: relative to the job file's folder
        } else {
            throw new ConfigException("hunt: --archive DIR is missing" + (job == null ? ""
                    : " and " + job + " has no sinks.archive.path") + "; name the folder a job's archive wrote");
        }
        if (oldSource instanceof ObjectNode o && o.has("apps")) {
            source.set("apps", o.get("apps"));
        }
        if (from != null) {
            source.put("from", from);
        }
        if (to != null) {
            source.put("to", to);
        }
        tree.set("source", source);
        if (sinks != null) {
            sinks.remove("archive"); // a hunt reads an archive; it writes none
        }
        // Checkpoints of a hunt are its own: never resume the job's continuous run, never keep them.
        tree.remove("checkpointing");
        if (!rules.isEmpty()) {
            ObjectNode r = tree.get("rules") instanceof ObjectNode o ? o : tree.putObject("rules");
            ArrayNode sigma = JsonNodeFactory.instance.arrayNode();
            ArrayNode sql = JsonNodeFactory.instance.arrayNode();
            for (String f : rules) {
                String abs = Path.of(f).toAbsolutePath().normalize().toString();
                (f.toLowerCase(Locale.ROOT).endsWith(".sql") ? sql : sigma).add(abs);
            }
            r.set("sigma", sigma);
            r.set("sql", sql);
            if (!builtin) {
                r.set("builtin", JsonNodeFactory.instance.arrayNode());
            }
        }
        return tree;
    }
}
