package io.fendersec.detect.load;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.pipeline.Pipelines;
import io.fendersec.detect.pipeline.ProcessedRule;
import io.fendersec.detect.sigma.DetectionCompiler;
import io.fendersec.detect.sigma.DetectionNode;
import io.fendersec.detect.sigma.DetectionParser;
import io.fendersec.detect.sigma.RequiredLiterals;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;
import io.fendersec.detect.files.RuleFiles;
import io.fendersec.detect.files.TextFiles;
import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.rule.ExceptionEntry;
import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.rule.RuleInfo;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.rule.SigmaFilter;

/**
 * Loads Sigma rules into a {@link RuleSet}: collects documents (rule files, single or
 * multi-document YAML, the built-in pack, text), then compiles detections, leaves out what does
 * not apply to Bugfender logs ({@link LogsourceFilter}), builds correlations over the rules by id
 * or name ({@link CorrelationReader}) and applies {@code rules.overrides} ({@link RuleOverrides}).
 * Every problem is a {@link ConfigException} naming the file and line, or the key path.
 */
public final class RuleLoader {
    /** The {@code logsource.product} of Bugfender logs; rules naming another product do not run. */
    public static final String PRODUCT = "bugfender";

    private final List<YamlNode> documents = new ArrayList<>();
    private Map<String, Map<String, Object>> overrides = Map.of();
    private Map<String, List<String>> placeholders = Map.of();
    private boolean anyLogsource;
    private final List<ExceptionEntry> exceptions = new ArrayList<>();
    /** The built-in pack's documents: processing pipelines apply to the user's rules only. */
    private final Set<YamlNode> builtinDocs = Collections.newSetFromMap(new IdentityHashMap<>());
    private Pipelines pipelines = Pipelines.none();
    /** The user's rule documents that load() kept, for {@link #fieldUses()}, and what the pipelines made of them. */
    private final List<YamlNode> loadedOwn = new ArrayList<>();
    private final Map<YamlNode, ProcessedRule> processedOwn = new IdentityHashMap<>();
    /** The detection sections compiled by the last load(), by rule id ({@link #writtenDetections()}). */
    private final Map<String, WrittenDetection> detectionSections = new HashMap<>();

    private RuleLoader() {}

    /** An empty loader: add the built-in pack, files or rule texts, then {@link #load()}. */
    public static RuleLoader create() {
        return new RuleLoader();
    }

    /** The whole built-in pack alone. */
    public static RuleSet builtin() {
        return create().builtin(List.of("all")).load();
    }

    /** Adds built-in rules: {@code [all]} for the whole pack, or rule file names without extension. */
    public RuleLoader builtin(List<String> names) {
        int before = documents.size();
        BuiltinPack.read(names).forEach(this::text);
        builtinDocs.addAll(documents.subList(before, documents.size()));
        return this;
    }

    /**
     * pySigma processing pipelines ({@code rules.pipelines}, {@code --pipeline}) for the rules added
     * from files and texts; the built-in pack is written for Bugfender fields and is left as it is.
     */
    public RuleLoader pipelines(Pipelines p) {
        this.pipelines = p == null ? Pipelines.none() : p;
        return this;
    }

    /** A field a loaded rule (not a built-in one) reads, after the pipelines: rule id, field, "file:line". */
    public record FieldUse(String rule, String field, String source) {}

    /**
     * A detection rule's {@code detection:} section as written, with the parser (placeholders
     * included) that compiled it: {@code rules explain} parses it again, selection by selection,
     * into the same tree the rule's predicate was compiled from.
     */
    public record WrittenDetection(YamlNode detection, DetectionParser parser) {}

    /**
     * The loaded detection rules' sections as written, by rule id; valid after {@link #load()}.
     * Rules a processing pipeline rewrote are absent: their detection no longer has a YAML form.
     */
    public Map<String, WrittenDetection> writtenDetections() {
        return Map.copyOf(detectionSections);
    }

    /** The fields the user's loaded rules read, after the pipelines; valid after {@link #load()}. */
    public List<FieldUse> fieldUses() {
        List<FieldUse> out = new ArrayList<>();
        List<YamlNode> unprocessed = loadedOwn.stream().filter(d -> !processedOwn.containsKey(d)).toList();
        Map<YamlNode, ProcessedRule> asWritten = Pipelines.none().process(unprocessed);
        for (YamlNode d : loadedOwn) {
            ProcessedRule r = processedOwn.containsKey(d) ? processedOwn.get(d) : asWritten.get(d);
            for (String f : r.fields()) {
                out.add(new FieldUse(r.ruleName(), f, r.document().where()));
            }
        }
        return out;
    }

    /**
     * Adds the rule files that these files, folders or globs name, relative to the working
     * directory ({@link RuleFiles}: one dialect for the command line and job specs).
     */
    public RuleLoader files(List<String> filesOrGlobs) {
        for (String f : filesOrGlobs) {
            List<Path> found;
            try {
                found = RuleFiles.expand(Path.of(""), f, RuleFiles.SIGMA);
            } catch (ConfigException e) {
                throw new ConfigException("rules: " + e.getMessage(), e);
            }
            paths(found);
        }
        return this;
    }

    /** Adds rule files already expanded (a job spec's {@code rules.sigma}): each is read as it is, never expanded again. */
    public RuleLoader paths(List<Path> files) {
        files.forEach(this::file);
        return this;
    }

    public RuleLoader file(Path p) {
        String text;
        try {
            text = TextFiles.readRuleText(p, "rule file");
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read rule file: " + e.getMessage(), e);
        }
        documents.addAll(YamlNode.readAll(new StringReader(text), p.toString()));
        return this;
    }

    /** Adds rules from YAML text; {@code name} is used in messages. */
    public RuleLoader text(String name, String yaml) {
        documents.addAll(YamlNode.readAll(new StringReader(yaml), name));
        return this;
    }

    /**
     * Adds the exceptions of a {@code rules.exceptions} file given as text ({@link ExceptionsReader}
     * checks it at once); {@code name}, usually the file's path, starts every message. The rules
     * they name are resolved by {@link #load()}.
     */
    public RuleLoader exceptions(String name, String yaml) {
        exceptions.addAll(ExceptionsReader.read(name, yaml));
        return this;
    }

    /** {@link #exceptions(String, String)} with the text of file {@code p}. */
    public RuleLoader exceptionsFile(Path p) {
        String text;
        try {
            text = TextFiles.readRuleText(p, "exceptions file");
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read exceptions file: " + e.getMessage(), e);
        }
        return exceptions(p.toString(), text);
    }

    public RuleLoader overrides(Map<String, Map<String, Object>> overrides) {
        this.overrides = overrides == null ? Map.of() : overrides;
        return this;
    }

    /** Values of the placeholders that {@code expand} modifiers name ({@code rules.placeholders}). */
    public RuleLoader placeholders(Map<String, List<String>> values) {
        this.placeholders = values == null ? Map.of() : Map.copyOf(values);
        return this;
    }

    /**
     * Loads rules whatever product their {@code logsource} names (benchmarks and conformance runs
     * over foreign rule sets); a job never does this.
     */
    public RuleLoader anyLogsource(boolean any) {
        this.anyLogsource = any;
        return this;
    }

    public RuleSet load() {
        List<Rule> rules = new ArrayList<>();
        List<YamlNode> correlations = new ArrayList<>();
        List<YamlNode> filterDocs = new ArrayList<>();
        Map<String, YamlNode> logsources = new HashMap<>();
        LogsourceFilter filter = new LogsourceFilter(anyLogsource);
        DetectionParser parser = new DetectionParser(placeholders);
        List<YamlNode> own = new ArrayList<>();
        for (YamlNode doc : documents) {
            if (doc.isMap() && !builtinDocs.contains(doc) && !SigmaFilters.isFilter(doc)) {
                own.add(doc);
            }
        }
        // Without pipelines the documents are read as written (fieldUses() looks at them when asked).
        Map<YamlNode, ProcessedRule> processed = pipelines.isEmpty() ? Map.of() : pipelines.process(own);
        loadedOwn.clear();
        processedOwn.clear();
        detectionSections.clear();
        for (YamlNode written : documents) {
            if (written.isNull()) {
                continue; // an empty document, e.g. after a trailing '---'
            }
            checkSupported(written);
            ProcessedRule pr = processed.get(written);
            YamlNode doc = pr == null ? written : pr.document();
            if (SigmaFilters.isFilter(doc)) {
                filterDocs.add(doc); // applied once the rules it names are known
                continue;
            }
            if (filter.skips(doc)) {
                continue;
            }
            if (!builtinDocs.contains(written)) {
                loadedOwn.add(written);
                if (pr != null) {
                    processedOwn.put(written, pr);
                }
            }
            if (doc.get("correlation") != null) {
                correlations.add(doc); // built once every rule they may reference is known
            } else if (doc.get("detection") != null) {
                DetectionNode tree = pr != null && !pipelines.isEmpty() && pr.hasDetection() ? pr.detection(parser)
                        : parser.detection(doc.get("detection"));
                RuleInfo info = RuleInfoReader.read(doc);
                rules.add(new DetectionRule(info, DetectionCompiler.compile(tree), RequiredLiterals.of(tree)));
                if (pr == null || pipelines.isEmpty() || !pr.hasDetection()) {
                    detectionSections.put(info.id(), new WrittenDetection(doc.get("detection"), parser));
                }
                if (doc.get("logsource") != null) {
                    logsources.put(info.id(), doc.get("logsource"));
                }
            } else {
                throw doc.error("a rule needs 'detection' or 'correlation'");
            }
        }
        CorrelationReader reader = new CorrelationReader(referenceIds());
        for (YamlNode doc : filter.runnable(correlations)) {
            rules.add(reader.read(doc));
        }
        List<Rule> resolved = RuleOverrides.apply(rules, overrides);
        List<RuleSet.Skipped> skipped = new ArrayList<>(filter.skipped());
        if (filterDocs.isEmpty() && exceptions.isEmpty()) {
            return new RuleSet(resolved, skipped);
        }
        RuleSet base = new RuleSet(resolved, skipped);
        Map<String, String> refIds = referenceIds();
        SigmaFilters filters = new SigmaFilters(base, refIds, logsources, parser, anyLogsource);
        List<SigmaFilter> compiled = new ArrayList<>();
        for (YamlNode doc : filterDocs) {
            SigmaFilter f = filters.read(doc);
            if (f != null) {
                compiled.add(f);
            }
        }
        skipped.addAll(filters.skipped());
        return new RuleSet(resolved, skipped, compiled, resolveExceptions(base, refIds));
    }

    /** The exceptions with their rule references resolved to rule ids; an unknown rule is an error. */
    private List<ExceptionEntry> resolveExceptions(RuleSet base, Map<String, String> refIds) {
        List<ExceptionEntry> out = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (ExceptionEntry e : exceptions) {
            String prev = ids.putIfAbsent(e.id(), e.source());
            if (prev != null) {
                throw new ConfigException(e.source() + ".id: '" + e.id() + "' is already used by " + prev);
            }
            String written = e.rule();
            String rule = written;
            if (!rule.equals(ExceptionEntry.ANY_RULE)) {
                String id = refIds.getOrDefault(rule, rule);
                Rule r = base.rule(id);
                if (r == null) {
                    String why = base.skipped().stream().filter(s -> s.id().equals(id)).map(RuleSet.Skipped::reason)
                            .findFirst().map(reason -> "rule '" + written + "' does not run on Bugfender logs (" + reason + ")")
                            .orElse("no rule '" + written + "' is loaded (a rule id or Sigma name, or '*' for every rule)");
                    throw new ConfigException(e.source() + ".rule: " + why);
                }
                SigmaFilters.checkApplicable(r, base, e.source() + ".rule");
                rule = id;
            }
            out.add(e.withRule(rule));
        }
        return out;
    }

    private static void checkSupported(YamlNode doc) {
        if (!doc.isMap()) {
            throw doc.error("a rule is a YAML mapping");
        }
        if (doc.get("action") != null) {
            throw doc.get("action").error("unsupported feature: rule collections with 'action' (Sigma v1)");
        }
    }

    /** Correlations may name a rule by its Sigma name or id; both resolve to the rule id. */
    private Map<String, String> referenceIds() {
        Map<String, String> refIds = new HashMap<>();
        for (YamlNode doc : documents) {
            if (doc.isMap() && !SigmaFilters.isFilter(doc)) {
                String id = RuleInfoReader.ruleId(doc);
                if (doc.text("id") != null) {
                    refIds.put(doc.text("id"), id);
                }
                if (doc.text("name") != null) {
                    refIds.put(doc.text("name"), id);
                }
            }
        }
        return refIds;
    }
}
