package io.fendersec.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.ExceptionEntry;
import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.files.RuleFiles;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.pipeline.Pipelines;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.rule.SigmaFilter;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.selftest.RuleTestFile;
import io.fendersec.detect.selftest.RuleTestFiles;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.model.Alert;
import io.fendersec.model.Durations;
import io.fendersec.model.LogRecord;
import io.fendersec.model.RawJson;
import io.fendersec.model.AlertJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fendersec rules}: list rules, and test rules over an NDJSON file without a Flink cluster. */
@Command(name = "rules", description = "List detection rules, test them over logs, or show their ATT&CK and MASVS coverage.",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.TestRules.class, RulesCoverageCommand.class,
                RulesExplainCommand.class})
final class RulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "Print the loaded rules: id, kind, level, title.")
    static final class ListRules implements Callable<Integer> {
        @Option(names = "--sigma", arity = "1..*", description = "Sigma rule files, directories or globs.")
        List<String> sigma = new ArrayList<>();

        @Option(names = "--builtin", description = "Include the built-in pack (default: true).", negatable = true,
                defaultValue = "true", fallbackValue = "true")
        boolean builtin;

        @Option(names = "--exceptions", paramLabel = "FILE.yml",
                description = "An exceptions file (as rules.exceptions): listed with each exception's status.")
        Path exceptions;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RuleLoader loader = RuleLoader.create().files(sigma);
            if (builtin) {
                loader.builtin(List.of("all"));
            }
            if (exceptions != null) {
                loader.exceptionsFile(exceptions);
            }
            RuleSet rules = loader.load();
            PrintWriter out = spec.commandLine().getOut();
            for (Rule r : rules.rules().values()) {
                String extra = "";
                if (r instanceof CorrelationRule) {
                    CorrelationRule c = (CorrelationRule) r;
                    extra = "  [" + (c.temporal() != null ? c.temporal() : c.condition()) + " in " + Durations.format(c.timespan()) + " by "
                            + String.join(",", c.groupBy()) + "]";
                }
                out.printf("%-32s %-17s %-13s %s%s%n", TerminalText.line(r.id()), r.kind(), TerminalText.line(String.valueOf(r.info().level())),
                        TerminalText.line(r.info().title()), TerminalText.line(extra));
            }
            printSkipped(rules, out);
            printSuppressions(rules, out, Instant.now());
            warnAllowAll(rules, spec.commandLine().getErr());
            out.flush();
            spec.commandLine().getErr().flush();
            return ExitCode.OK;
        }
    }

    /**
     * The Sigma filters with the rules they apply to, and the exceptions with their status at
     * {@code now} (active, active until DATE, expired after DATE), field, values and reason.
     */
    static void printSuppressions(RuleSet rules, PrintWriter out, Instant now) {
        if (!rules.filters().isEmpty()) {
            out.printf("Sigma filters (%d):%n", rules.filters().size());
            for (SigmaFilter f : rules.filters()) {
                out.printf("  %-32s on %s  %s (%s)%n", TerminalText.line(f.id()), TerminalText.line(String.join(", ", f.rules())),
                        TerminalText.line(f.title()), TerminalText.line(f.source()));
            }
        }
        if (!rules.exceptions().isEmpty()) {
            out.printf("exceptions (%d):%n", rules.exceptions().size());
            for (ExceptionEntry e : rules.exceptions()) {
                out.printf("  %-32s %-20s %s: %s  %s%s (%s)%n", TerminalText.line(e.id()), TerminalText.line(e.rule()),
                        TerminalText.line(e.field()), TerminalText.line(String.join(", ", e.values())),
                        e.status(now) + (e.allowAll() && e.silencesEverything() ? ", ALLOWS ALL" : ""),
                        e.reason() == null ? "" : "  reason: " + TerminalText.line(e.reason()),
                        TerminalText.line(e.source()));
            }
        }
    }

    /**
     * A warning line for each exception allowed to match everything ({@code allow-all: true}): it
     * silences its rule, or every detection, for every log that has the field.
     */
    static void warnAllowAll(RuleSet rules, PrintWriter err) {
        for (ExceptionEntry e : rules.exceptions()) {
            if (e.allowAll() && e.silencesEverything()) {
                err.printf("warning: %s: exception %s silences %s for every log with %s (allow-all: true, reason: %s)%n",
                        TerminalText.line(e.source()), TerminalText.line(e.id()),
                        e.rule().equals(ExceptionEntry.ANY_RULE) ? "every detection" : "rule " + TerminalText.line(e.rule()),
                        TerminalText.line(e.field()), TerminalText.line(e.reason()));
            }
        }
    }

    /** A warning line for each exception that has expired at {@code now}: it no longer applies. */
    static void warnExpired(RuleSet rules, PrintWriter err, Instant now) {
        for (ExceptionEntry e : rules.exceptions()) {
            if (!e.activeAt(now)) {
                err.printf("warning: %s: exception %s (%s) %s: it no longer applies; remove it or extend expires%n",
                        TerminalText.line(e.source()), TerminalText.line(e.id()), TerminalText.line(e.rule()),
                        e.status(now));
            }
        }
    }

    /**
     * Names each field a user's rule reads (after the pipelines) that Bugfender logs never carry
     * (docs/taxonomy.md): such a rule silently never matches.
     */
    static void warnUnknownFields(RuleLoader loader, Normalizer normalizer, PrintWriter err) {
        java.util.Set<String> known = io.fendersec.detect.pipeline.BugfenderFields.available(normalizer);
        for (RuleLoader.FieldUse u : loader.fieldUses()) {
            if (!known.contains(u.field())) {
                err.printf("warning: %s: rule %s reads field '%s', which no pipeline maps and Bugfender logs never carry"
                        + " (docs/taxonomy.md): it matches only logs with a key-value pair of that key; map it with"
                        + " a processing pipeline (rules.pipelines, --pipeline; e.g. builtin:ecs)%n",
                        TerminalText.line(u.source()), TerminalText.line(u.rule()), TerminalText.line(u.field()));
            }
        }
        err.flush();
    }

    /** The rules read but not run, one line each: id, why, where. */
    static void printSkipped(RuleSet rules, PrintWriter out) {
        if (rules.skipped().isEmpty()) {
            return;
        }
        out.printf("skipped %d rule(s) that do not apply to Bugfender logs:%n", rules.skipped().size());
        for (RuleSet.Skipped s : rules.skipped()) {
            out.printf("  %-32s %s (%s)%n", s.id(), s.reason(), s.source());
        }
    }

    @Command(name = "test", description = "Run rules over an NDJSON file of Bugfender log records and print the "
            + "alerts as JSON lines. Exit 1 when there are alerts, 0 when none, 2 on bad rules or input. "
            + "With --self, run the examples beside the rule files (NAME.tests.yml) instead: exit 0 when all pass, "
            + "1 when one fails, 2 on a bad tests file.")
    static final class TestRules implements Callable<Integer> {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        @Parameters(arity = "0..*", paramLabel = "RULE_FILES", description = "Sigma rule files, directories or globs.")
        List<String> ruleFiles = new ArrayList<>();

        @Option(names = "--sql", arity = "1..*", paramLabel = "FILE.sql",
                description = "Flink SQL rule files, folders or globs, run on a local Flink MiniCluster (a few seconds to start).")
        List<String> sqlFiles = new ArrayList<>();

        @Option(names = "--logs", paramLabel = "FILE.ndjson", description = "Log records, one JSON object a line.")
        Path logs;

        @Option(names = "--self", description = "Run the rules' own examples (NAME.tests.yml beside NAME.yml; "
                + "the built-in pack's with --builtin) instead of --logs.")
        boolean self;

        @Option(names = "--builtin", description = "Also load the built-in pack.")
        boolean builtin;

        @Option(names = "--no-default-extractors", description = "Turn off the default field extractors.")
        boolean noDefaults;

        @Option(names = "--exceptions", paramLabel = "FILE.yml",
                description = "An exceptions file (as rules.exceptions); what each exception dropped goes to stderr.")
        Path exceptions;

        @Option(names = "--pipeline", paramLabel = "FILE.yml|builtin:NAME",
                description = "A pySigma processing pipeline for the Sigma rule files (as rules.pipelines; repeatable, "
                        + "applied by priority), e.g. builtin:ecs.")
        List<String> pipelines = new ArrayList<>();

        @Option(names = "--suppression", defaultValue = "1h", description = "Episode suppression period (default 1h).")
        String suppression;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (ruleFiles.isEmpty() && sqlFiles.isEmpty() && !builtin) {
                throw new ConfigException("rules test: give Sigma RULE_FILES, --sql FILE.sql or --builtin");
            }
            if (self) {
                return selfTest();
            }
            if (logs == null) {
                throw new ConfigException("rules test: give --logs FILE.ndjson, or --self to run the rules' own examples");
            }
            RuleLoader loader = RuleLoader.create().pipelines(Pipelines.load(pipelines, Path.of(""))).files(ruleFiles);
            if (builtin) {
                loader.builtin(List.of("all"));
            }
            if (exceptions != null) {
                loader.exceptionsFile(exceptions);
            }
            RuleSet rules = loader.load();
            warnUnknownFields(loader, normalizerFor(), spec.commandLine().getErr());
            List<Path> sql = sqlRuleFiles();
            Duration supp = Durations.require("--suppression", suppression);
            List<LogRecord> records = readNdjson(logs);
            Normalizer normalizer = Normalizer.builder().defaults(!noDefaults).build();
            DetectionSettings settings = new DetectionSettings(DetectionSettings.DEFAULT_ALLOWED_LATENESS, supp);
            List<Alert> alerts = new ArrayList<>();
            if (rules.size() > 0) { // LocalEvaluator fails on an empty rule set (sorts an immutable empty list)
                LocalEvaluator evaluator = new LocalEvaluator(normalizer, rules, settings);
                alerts.addAll(evaluator.evaluate(records));
                PrintWriter err = spec.commandLine().getErr();
                evaluator.droppedMatches().forEach((label, n) ->
                        err.printf("%s: %,d matches dropped%n", TerminalText.line(label), n));
                err.flush();
            }
            if (!sqlFiles.isEmpty()) {
                alerts.addAll(SqlRuleRun.run(records, normalizer, sql, settings));
            }
            PrintWriter out = spec.commandLine().getOut();
            for (Alert a : alerts) {
                out.println(TerminalText.json(AlertJson.toJson(a))); // evidence and groups are device text
            }
            out.flush();
            return alerts.isEmpty() ? ExitCode.OK : ExitCode.ALERTS;
        }

        private Normalizer normalizerFor() {
            return Normalizer.builder().defaults(!noDefaults).build();
        }

        /** {@code --self}: the Sigma rule files' examples, over those files (and the pack) loaded together. */
        private int selfTest() {
            if (logs != null || !sqlFiles.isEmpty()) {
                throw new ConfigException("rules test --self runs the examples beside Sigma rule files: leave out "
                        + (logs != null ? "--logs" : "--sql") + " (SQL rules have no examples yet)");
            }
            List<Path> files = new ArrayList<>();
            for (String entry : ruleFiles) {
                try {
                    files.addAll(RuleFiles.expand(Path.of(""), entry, RuleFiles.SIGMA));
                } catch (ConfigException e) {
                    throw new ConfigException("rules: " + e.getMessage(), e);
                }
            }
            for (Path f : files) {
                if (RuleFiles.isTests(f)) { // named on its own: folders and globs never yield one
                    throw new ConfigException("rules: " + f + " holds examples, not rules: name the rule file beside it");
                }
            }
            RuleLoader loader = RuleLoader.create().pipelines(Pipelines.load(pipelines, Path.of(""))).paths(files);
            List<RuleTestFile> tests = new ArrayList<>();
            if (builtin) {
                loader.builtin(List.of("all"));
                tests.addAll(RuleTestFiles.builtin());
            }
            tests.addAll(RuleTestFiles.of(files));
            RuleSet rules = loader.load();
            Normalizer normalizer = Normalizer.builder().defaults(!noDefaults).build();
            DetectionSettings settings = new DetectionSettings(DetectionSettings.DEFAULT_ALLOWED_LATENESS,
                    Durations.require("--suppression", suppression));
            return SelfTestRun.run(rules, tests, normalizer, settings, spec.commandLine().getOut());
        }

        /** The {@code --sql} entries expanded as a job's {@code rules.sql} is (files, folders, globs), against the working directory. */
        private List<Path> sqlRuleFiles() {
            List<Path> files = new ArrayList<>();
            for (String entry : sqlFiles) {
                try {
                    files.addAll(RuleFiles.expand(Path.of(""), entry, RuleFiles.SQL));
                } catch (ConfigException e) {
                    throw new ConfigException("--sql: " + e.getMessage(), e);
                }
            }
            return files;
        }

        static List<LogRecord> readNdjson(Path file) {
            List<LogRecord> out = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = MAPPER.readTree(line);
                    } catch (JsonProcessingException e) {
                        throw new ConfigException(file + ":" + n + ": not JSON: " + e.getOriginalMessage());
                    }
                    if (!node.isObject()) {
                        throw new ConfigException(file + ":" + n + ": expected a JSON object (one log record)");
                    }
                    out.add(record(node));
                }
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
            }
            return out;
        }

        /** One log record from a JSON object, values as the API client reads them. */
        static LogRecord record(JsonNode node) {
            LogRecord.Builder b = LogRecord.builder();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.put(e.getKey(), value(e.getValue()));
            }
            return b.build();
        }

        private static Object value(JsonNode v) {
            if (v.isNull()) {
                return null;
            }
            if (v.isTextual()) {
                return v.textValue();
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isIntegralNumber()) {
                return v.canConvertToLong() ? (Object) v.longValue() : v.asText();
            }
            if (v.isNumber()) {
                return v.doubleValue();
            }
            return new RawJson(v.toString());
        }
    }
}
