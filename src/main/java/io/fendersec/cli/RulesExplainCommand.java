package io.fendersec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.explain.CorrelationExplainer;
import io.fendersec.detect.explain.CorrelationExplanation;
import io.fendersec.detect.explain.DetectionExplainer;
import io.fendersec.detect.explain.DetectionExplanation;
import io.fendersec.detect.explain.ExplanationText;
import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.model.LogRecord;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec rules explain RULE}: why a detection matched one log or not, field test by
 * field test, or what a correlation saw over a file of logs, window by window. Exit 0 when the
 * rule matches (fires), 1 when it does not, 2 on a configuration error.
 */
@Command(name = "explain", description = "Why a rule matched a log or not: for a detection, each selection and field "
        + "test with the log's value and its outcome, the first failing test, the filters and exceptions; for a "
        + "correlation over --logs, each group's windows and what they counted against the condition. Exit 0 when "
        + "the rule matches (a correlation fires), 1 when not, 2 on a configuration error.")
final class RulesExplainCommand implements java.util.concurrent.Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Exit status when the rule does not match the log (a correlation does not fire): issue 29. */
    static final int NO_MATCH = 1;

    @Parameters(index = "0", paramLabel = "RULE", description = "A rule id (Sigma name, else id) of the loaded rules.")
    String rule;

    @Option(names = "--log", paramLabel = "LOG.json", description = "One log record (a JSON object, as the API gives it).")
    Path log;

    @Option(names = "--logs", paramLabel = "FILE.ndjson", description = "Log records, one JSON object a line.")
    Path logs;

    @Option(names = "--uuid", paramLabel = "UUID", description = "With --logs: the log a detection is explained on.")
    String uuid;

    @Option(names = "--sigma", arity = "1..*", paramLabel = "RULE_FILES", description = "Sigma rule files, folders or globs.")
    List<String> sigma = new ArrayList<>();

    @Option(names = "--builtin", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Include the built-in pack (default: true; not with --job).")
    boolean builtin;

    @Option(names = "--exceptions", paramLabel = "FILE.yml", description = "An exceptions file (as rules.exceptions).")
    Path exceptions;

    @Option(names = "--job", paramLabel = "JOB.yaml",
            description = "The rules, exceptions and normalization of a job file instead of --sigma/--builtin.")
    Path job;

    @Option(names = "--max-groups", defaultValue = "10", description = "Correlation groups shown (default 10): "
            + "those that fired first, then the highest counts.")
    int maxGroups;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((log == null) == (logs == null)) {
            throw new ConfigException("rules explain: give --log LOG.json or --logs FILE.ndjson (one of them)");
        }
        if (uuid != null && logs == null) {
            throw new ConfigException("rules explain: --uuid picks a log of --logs FILE.ndjson");
        }
        RuleLoader loader;
        Normalizer normalizer;
        if (job != null) {
            if (!sigma.isEmpty() || exceptions != null) {
                throw new ConfigException("rules explain: --job takes the job's rules and exceptions; leave out --sigma and --exceptions");
            }
            JobSpec js = new JobSpecReader().read(job);
            // as Pipeline.loadRules, keeping the loader: it knows each detection as written
            loader = RuleLoader.create().placeholders(js.rules.placeholders).builtin(js.rules.builtin)
                    .pipelines(js.rules.pipelines).paths(js.rules.sigma).overrides(js.rules.overrides);
            if (js.rules.exceptions != null) {
                loader.exceptionsFile(js.rules.exceptions);
            }
            normalizer = js.normalizer();
        } else {
            loader = RuleLoader.create().files(sigma);
            if (builtin) {
                loader.builtin(List.of("all"));
            }
            if (exceptions != null) {
                loader.exceptionsFile(exceptions);
            }
            normalizer = Normalizer.defaults();
        }
        RuleSet rules = loader.load();
        requireKnown(rules);
        List<LogRecord> records = log != null ? List.of(readOne(log)) : RulesCommand.TestRules.readNdjson(logs);
        Clock clock = Clock.systemUTC();
        PrintWriter out = spec.commandLine().getOut();
        boolean matched;
        if (rules.rule(rule) instanceof CorrelationRule) {
            if (uuid != null) {
                throw new ConfigException("rules explain: " + TerminalText.line(rule) + " is a correlation: it is explained"
                        + " over every log of --logs; leave out --uuid");
            }
            CorrelationExplanation e = new CorrelationExplainer(rules, normalizer, clock).explain(rule, records);
            ExplanationText.correlation(e, maxGroups).forEach(out::println);
            matched = e.fired();
        } else {
            DetectionExplainer explainer = new DetectionExplainer(rules, loader.writtenDetections(), clock);
            if (!explainer.explains(rule)) {
                throw new ConfigException("rules explain: rule " + TerminalText.line(rule) + " was rewritten by a processing"
                        + " pipeline (rules.pipelines): explain takes rules as written; run it with --sigma on the rule file");
            }
            LogRecord record = log != null ? records.get(0) : pick(records);
            long bound = clock.instant().plus(LocalEvaluator.MAX_CLOCK_SKEW).toEpochMilli();
            Long t = DeviceClock.eventTime(record, bound);
            DetectionExplanation e = explainer.explain(rule,
                    DeviceClock.judge(normalizer.normalize(record), t == null ? 0L : t));
            ExplanationText.detection(e).forEach(out::println);
            matched = e.matched();
        }
        out.flush();
        return matched ? ExitCode.OK : NO_MATCH;
    }

    /** An unknown rule is a configuration error naming the loaded rules closest to it. */
    private void requireKnown(RuleSet rules) {
        if (rules.rule(rule) != null) {
            return;
        }
        String shown = TerminalText.line(rule);
        for (RuleSet.Skipped s : rules.skipped()) {
            if (s.id().equals(rule)) {
                throw new ConfigException("rules explain: rule " + shown + " is not run on Bugfender logs: " + s.reason()
                        + " (" + s.source() + ")");
            }
        }
        List<String> closest = RuleNames.closest(rule, rules.rules().keySet(), 3);
        throw new ConfigException("rules explain: no rule '" + shown + "' is loaded"
                + (closest.isEmpty() ? "" : "; closest: " + String.join(", ", closest))
                + " (`fendersec rules list` lists them)");
    }

    private LogRecord pick(List<LogRecord> records) {
        if (uuid == null) {
            throw new ConfigException("rules explain: a detection is explained on one log: give --uuid UUID with --logs,"
                    + " or --log LOG.json");
        }
        for (LogRecord r : records) {
            if (uuid.equals(r.uuid())) {
                return r;
            }
        }
        throw new ConfigException("rules explain: no log with uuid '" + TerminalText.line(uuid) + "' in " + logs + " ("
                + records.size() + " logs)");
    }

    /** A file holding one log record: a JSON object (pretty-printed or on one line). */
    static LogRecord readOne(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<JsonNode> nodes = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                nodes.add(it.next());
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + ": not JSON: " + e.getMessage());
        }
        if (nodes.size() != 1 || !nodes.get(0).isObject()) {
            throw new ConfigException(file + ": expected one JSON object (one log record); for several, use --logs FILE"
                    + " --uuid UUID");
        }
        return RulesCommand.TestRules.record(nodes.get(0));
    }

    /** Names ranked by edit distance to a misspelt one. */
    static final class RuleNames {
        private RuleNames() {}

        static List<String> closest(String wanted, java.util.Collection<String> names, int n) {
            return names.stream().filter(x -> distance(wanted, x) <= Math.max(3, wanted.length() / 2)
                            || x.contains(wanted) || wanted.contains(x))
                    .sorted(Comparator.comparingInt((String x) -> distance(wanted, x)).thenComparing(x -> x))
                    .limit(n).map(TerminalText::line).toList();
        }

        static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
