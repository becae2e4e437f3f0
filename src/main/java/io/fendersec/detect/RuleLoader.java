package io.fendersec.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.Baseline;
import io.fendersec.detect.correlate.CountCondition;
import io.fendersec.detect.sigma.DetectionCompiler;
import io.fendersec.detect.sigma.DetectionNode;
import io.fendersec.detect.sigma.DetectionParser;
import io.fendersec.detect.sigma.RequiredLiterals;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * Loads Sigma rule files (single or multi-document YAML) and the built-in pack, resolves
 * correlation references across all of them, and applies overrides. Every problem is a
 * {@link ConfigException} naming the file and line.
 */
public final class RuleLoader {
    /** Lists the built-in pack's files, one resource name per line (relative to {@code rules/}). */
    static final String BUILTIN_INDEX = "rules/index.txt";

    private static final Set<String> CORRELATION_KEYS =
            Set.of("type", "rules", "group-by", "timespan", "condition", "aliases", "field", "generate",
                    "baseline", "baseline-min");
    private static final Set<String> OVERRIDE_KEYS = Set.of("threshold", "timespan");

    /** The {@code logsource.product} of Bugfender logs; rules naming another product do not run. */
    public static final String PRODUCT = "bugfender";

    private final List<YamlNode> documents = new ArrayList<>();
    private Map<String, Map<String, Object>> overrides = Map.of();
    private Map<String, List<String>> placeholders = Map.of();
    private boolean anyLogsource;

    private RuleLoader() {}

    public static RuleLoader builder() {
        return new RuleLoader();
    }

    /** Loads the given files, directories (their *.yml, *.yaml) or globs, then applies overrides. */
    public static RuleSet load(List<String> filesOrGlobs, Map<String, Map<String, Object>> overrides) {
        return builder().files(filesOrGlobs).overrides(overrides).load();
    }

    /** The built-in pack alone (empty until the pack ships, see issue 7). */
    public static RuleSet builtin() {
        return builder().builtin(List.of("all")).load();
    }

    /** Adds built-in rules: {@code [all]} for the whole pack, or rule file names without extension. */
    public RuleLoader builtin(List<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        List<String> index = builtinIndex();
        for (String n : names) {
            List<String> chosen = n.equals("all") ? index
                    : index.stream().filter(f -> f.equals(n + ".yml") || f.equals(n + ".yaml") || f.equals(n)).toList();
            if (chosen.isEmpty() && !n.equals("all")) {
                throw new ConfigException("rules.builtin: no built-in rule '" + n + "' (known: " + index + ")");
            }
            for (String f : chosen) {
                try (InputStream in = RuleLoader.class.getClassLoader().getResourceAsStream("rules/" + f)) {
                    if (in == null) {
                        throw new ConfigException("built-in rule file rules/" + f + " is missing from the jar");
                    }
                    text("builtin:" + f, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ConfigException("cannot read built-in rule rules/" + f + ": " + e.getMessage(), e);
                }
            }
        }
        return this;
    }

    private static List<String> builtinIndex() {
        try (InputStream in = RuleLoader.class.getClassLoader().getResourceAsStream(BUILTIN_INDEX)) {
            if (in == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String line : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + BUILTIN_INDEX + ": " + e.getMessage(), e);
        }
    }

    public RuleLoader files(List<String> filesOrGlobs) {
        for (String f : filesOrGlobs) {
            List<Path> paths = expand(f);
            if (paths.isEmpty()) {
                throw new ConfigException("rules: '" + f + "' matches no rule file");
            }
            paths.forEach(this::file);
        }
        return this;
    }

    public RuleLoader file(Path p) {
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            documents.addAll(YamlNode.readAll(r, p.toString()));
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read rule file: " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds rules from YAML text; {@code name} is used in messages. */
    public RuleLoader text(String name, String yaml) {
        documents.addAll(YamlNode.readAll(new StringReader(yaml), name));
        return this;
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
        List<YamlNode> correlationDocs = new ArrayList<>();
        List<RuleSet.Skipped> skipped = new ArrayList<>();
        Set<String> skippedRefs = new java.util.HashSet<>();
        DetectionParser parser = new DetectionParser(placeholders);
        for (YamlNode doc : documents) {
            if (doc.isNull()) {
                continue; // an empty document, e.g. after a trailing '---'
            }
            if (!doc.isMap()) {
                throw doc.error("a rule is a YAML mapping");
            }
            if (doc.get("action") != null) {
                throw doc.get("action").error("unsupported feature: rule collections with 'action' (Sigma v1)");
            }
            if (doc.get("filter") != null && doc.get("detection") == null) {
                throw doc.get("filter").error("unsupported feature: Sigma filter rules");
            }
            String foreign = anyLogsource ? null : foreignProduct(doc);
            if (foreign != null && doc.get("correlation") == null) {
                RuleInfo info = info(doc);
                skipped.add(new RuleSet.Skipped(info.id(), info.title(), info.source(),
                        "logsource product '" + foreign + "' (Bugfender logs are product " + PRODUCT + ")"));
                addRefs(doc, skippedRefs);
                continue;
            }
            if (doc.get("correlation") != null) {
                correlationDocs.add(doc);
            } else if (doc.get("detection") != null) {
                YamlNode detection = doc.get("detection");
                DetectionNode tree = parser.detection(detection);
                rules.add(new DetectionRule(info(doc), DetectionCompiler.compile(tree), RequiredLiterals.of(tree)));
            } else {
                throw doc.error("a rule needs 'detection' or 'correlation'");
            }
        }
        // References may name a rule by its Sigma name or id; both resolve to the rule id.
        Map<String, String> refIds = new HashMap<>();
        for (YamlNode doc : documents) {
            if (doc.isMap()) {
                String id = ruleId(doc);
                if (doc.text("id") != null) {
                    refIds.put(doc.text("id"), id);
                }
                if (doc.text("name") != null) {
                    refIds.put(doc.text("name"), id);
                }
            }
        }
        // A correlation over a skipped rule cannot run either (nor one over such a correlation).
        List<YamlNode> pending = new ArrayList<>(correlationDocs);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (java.util.Iterator<YamlNode> it = pending.iterator(); it.hasNext(); ) {
                YamlNode doc = it.next();
                String missing = skippedReference(doc, skippedRefs);
                if (missing != null) {
                    RuleInfo info = info(doc);
                    skipped.add(new RuleSet.Skipped(info.id(), info.title(), info.source(),
                            "uses skipped rule '" + missing + "'"));
                    addRefs(doc, skippedRefs);
                    it.remove();
                    changed = true;
                }
            }
        }
        for (YamlNode doc : pending) {
            rules.add(correlation(doc, refIds));
        }
        rules = applyOverrides(rules);
        return new RuleSet(rules, skipped);
    }

    /**
     * The product of a rule's {@code logsource} when it is not Bugfender's, else null: rules with
     * no logsource, no product or {@code product: bugfender} apply to Bugfender logs. A rule for
     * another product reads fields those logs do not have, and its negations would fire on every log.
     */
    private static String foreignProduct(YamlNode doc) {
        YamlNode ls = doc.get("logsource");
        if (ls == null || ls.isNull()) {
            return null;
        }
        if (!ls.isMap()) {
            throw ls.error("logsource is a mapping like {product: bugfender}");
        }
        YamlNode product = ls.get("product");
        if (product == null || product.isNull()) {
            return null;
        }
        String p = product.asText();
        return p.strip().equalsIgnoreCase(PRODUCT) ? null : p;
    }

    private static void addRefs(YamlNode doc, Set<String> refs) {
        for (String k : List.of("id", "name")) {
            if (doc.get(k) != null && doc.get(k).isScalar() && doc.text(k) != null) {
                refs.add(doc.text(k));
            }
        }
    }

    private static String skippedReference(YamlNode doc, Set<String> skippedRefs) {
        YamlNode c = doc.get("correlation");
        YamlNode rs = c == null ? null : c.get("rules");
        if (rs == null) {
            return null;
        }
        for (YamlNode r : rs.asListOrSingle()) {
            if (r.isScalar() && skippedRefs.contains(r.asText())) {
                return r.asText();
            }
        }
        return null;
    }

    private static String ruleId(YamlNode doc) {
        String name = doc.text("name");
        return name != null ? name : doc.text("id");
    }

    private static RuleInfo info(YamlNode doc) {
        String id = ruleId(doc);
        if (id == null || id.isBlank()) {
            throw doc.error("a rule needs a 'name' or an 'id' (the name is the rule id)");
        }
        String title = doc.text("title");
        if (title == null) {
            throw doc.error("rule '" + id + "' has no title");
        }
        String level = doc.text("level");
        if (level != null && !Set.of("informational", "low", "medium", "high", "critical").contains(level)) {
            throw doc.get("level").error("level is one of informational, low, medium, high, critical");
        }
        YamlNode refs = doc.get("references") != null ? doc.get("references") : doc.get("reference");
        return new RuleInfo(id, doc.text("id"), doc.text("name"), title, level == null ? "medium" : level,
                doc.text("description"), texts(doc.get("tags")), texts(refs), doc.where());
    }

    private static List<String> texts(YamlNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && !n.isNull()) {
            for (YamlNode x : n.asListOrSingle()) {
                out.add(x.asText());
            }
        }
        return out;
    }

    private static CorrelationRule correlation(YamlNode doc, Map<String, String> refIds) {
        RuleInfo info = info(doc);
        YamlNode c = doc.get("correlation");
        for (Map.Entry<String, YamlNode> e : c.asMap().entrySet()) {
            if (!CORRELATION_KEYS.contains(e.getKey())) {
                throw e.getValue().error("unsupported feature: correlation attribute '" + e.getKey() + "'");
            }
        }
        String typeName = c.text("type");
        CorrelationType type = CorrelationType.ofSigma(typeName);
        if (type == null) {
            throw (c.get("type") == null ? c : c.get("type")).error("unsupported feature: correlation type '"
                    + typeName + "' (event_count, value_count, temporal, temporal_ordered, rate_spike)");
        }
        YamlNode rulesNode = c.get("rules");
        if (rulesNode == null) {
            throw c.error("a correlation needs 'rules'");
        }
        List<String> refs = new ArrayList<>();
        for (YamlNode r : rulesNode.asListOrSingle()) {
            String id = refIds.get(r.asText());
            if (id == null) {
                throw r.error("correlation '" + info.id() + "' references unknown rule '" + r.asText() + "'");
            }
            refs.add(id);
        }
        List<String> groupBy = texts(c.get("group-by"));
        Duration timespan = Durations.parse(c.text("timespan"));
        if (timespan == null || timespan.isZero()) {
            throw (c.get("timespan") == null ? c : c.get("timespan")).error(
                    "a correlation needs 'timespan' like 30s, 5m, 1h or 2d");
        }
        String field = c.text("field");
        CountCondition condition;
        Baseline baseline = null;
        YamlNode cond = c.get("condition");
        if (type != CorrelationType.RATE_SPIKE) {
            for (String k : List.of("baseline", "baseline-min")) {
                if (c.get(k) != null) {
                    throw c.get(k).error("'" + k + "' only applies to rate_spike");
                }
            }
        }
        if (type == CorrelationType.RATE_SPIKE) {
            // Fendersec extension: {ratio_gte: R, min_count: M}, baseline and baseline-min durations.
            if (cond == null) {
                throw c.error("a rate_spike correlation needs a 'condition' with ratio_gte and min_count");
            }
            Double ratio = null;
            Long minCount = null;
            for (Map.Entry<String, YamlNode> e : cond.asMap().entrySet()) {
                Object v = e.getValue().scalar();
                if (e.getKey().equals("ratio_gte")) {
                    if (!(v instanceof Number) || !(((Number) v).doubleValue() > 0)) {
                        throw e.getValue().error("ratio_gte needs a positive number");
                    }
                    ratio = ((Number) v).doubleValue();
                } else if (e.getKey().equals("min_count")) {
                    if (!(v instanceof Long) || (Long) v < 1) {
                        throw e.getValue().error("min_count needs a whole number >= 1");
                    }
                    minCount = (Long) v;
                } else {
                    throw e.getValue().error("unsupported feature: rate_spike condition '" + e.getKey()
                            + "' (ratio_gte, min_count)");
                }
            }
            if (ratio == null || minCount == null) {
                throw cond.error("a rate_spike condition needs ratio_gte and min_count");
            }
            Duration length = Durations.parse(c.text("baseline"));
            if (length == null || length.isZero()) {
                throw (c.get("baseline") == null ? c : c.get("baseline")).error(
                        "a rate_spike correlation needs 'baseline' like 6h");
            }
            Duration min = c.get("baseline-min") == null ? length : Durations.parse(c.text("baseline-min"));
            if (min == null || min.compareTo(length) > 0) {
                throw c.get("baseline-min").error("baseline-min needs a duration no longer than baseline");
            }
            baseline = new Baseline(length.toMillis(), min.toMillis(), ratio);
            condition = CountCondition.of(CountCondition.Op.GTE, minCount);
        } else if (cond == null) {
            if (type == CorrelationType.TEMPORAL || type == CorrelationType.TEMPORAL_ORDERED) {
                condition = CountCondition.of(CountCondition.Op.GTE, refs.size()); // every rule
            } else {
                throw c.error("a " + typeName + " correlation needs a 'condition'");
            }
        } else {
            List<CountCondition.Bound> bounds = new ArrayList<>();
            for (Map.Entry<String, YamlNode> e : cond.asMap().entrySet()) {
                if (e.getKey().equals("field")) {
                    field = e.getValue().asText();
                    continue;
                }
                CountCondition.Op op;
                try {
                    op = CountCondition.Op.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    throw e.getValue().error("unsupported feature: condition operator '" + e.getKey()
                            + "' (gt, gte, lt, lte, eq, neq)");
                }
                if (!(e.getValue().scalar() instanceof Long)) {
                    throw e.getValue().error("condition '" + e.getKey() + "' needs a whole number");
                }
                bounds.add(new CountCondition.Bound(op, (Long) e.getValue().scalar()));
            }
            if (bounds.isEmpty()) {
                throw cond.error("condition needs gt, gte, lt, lte, eq or neq");
            }
            condition = new CountCondition(bounds);
        }
        if (type == CorrelationType.VALUE_COUNT && field == null) {
            throw c.error("a value_count correlation needs 'field' (in its condition)");
        }
        if (type != CorrelationType.VALUE_COUNT && field != null) {
            throw c.error("'field' only applies to value_count");
        }
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        YamlNode al = c.get("aliases");
        if (al != null && !al.isNull()) {
            for (Map.Entry<String, YamlNode> a : al.asMap().entrySet()) {
                Map<String, String> perRule = new LinkedHashMap<>();
                for (Map.Entry<String, YamlNode> pr : a.getValue().asMap().entrySet()) {
                    String id = refIds.get(pr.getKey());
                    if (id == null || !refs.contains(id)) {
                        throw pr.getValue().error("alias '" + a.getKey() + "' names '" + pr.getKey()
                                + "', which this correlation does not reference");
                    }
                    perRule.put(id, pr.getValue().asText());
                }
                aliases.put(a.getKey(), Map.copyOf(perRule));
            }
        }
        YamlNode gen = c.get("generate") != null ? c.get("generate") : doc.get("generate");
        boolean generate = false;
        if (gen != null) {
            if (!(gen.scalar() instanceof Boolean)) {
                throw gen.error("generate is true or false");
            }
            generate = (Boolean) gen.scalar();
        }
        return new CorrelationRule(info, type, refs, groupBy, timespan, condition, field, aliases, generate, baseline);
    }

    private List<Rule> applyOverrides(List<Rule> rules) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        for (Map.Entry<String, Map<String, Object>> o : overrides.entrySet()) {
            String where = "rules.overrides." + o.getKey();
            Rule r = byId.get(o.getKey());
            if (r == null) {
                throw new ConfigException(where + ": no rule with id '" + o.getKey() + "' is loaded");
            }
            if (!(r instanceof CorrelationRule)) {
                throw new ConfigException(where + ": '" + o.getKey()
                        + "' is a detection rule; threshold and timespan apply to correlations");
            }
            CorrelationRule c = (CorrelationRule) r;
            for (Map.Entry<String, Object> kv : o.getValue().entrySet()) {
                String key = kv.getKey();
                Object v = kv.getValue();
                if (!OVERRIDE_KEYS.contains(key)) {
                    throw new ConfigException(where + "." + key + ": unknown override (threshold, timespan)");
                }
                if (key.equals("threshold")) {
                    if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())) {
                        throw new ConfigException(where + ".threshold: expected a whole number, got " + v);
                    }
                    try {
                        c = c.withThreshold(((Number) v).longValue());
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(where + ".threshold: rule '" + c.id() + "' has the range condition "
                                + c.condition() + "; a threshold replaces a single bound");
                    }
                } else {
                    Duration d = Durations.parse(String.valueOf(v));
                    if (d == null || d.isZero()) {
                        throw new ConfigException(where + ".timespan: expected a duration like 15m, got " + v);
                    }
                    c = c.withTimespan(d);
                }
            }
            byId.put(c.id(), c);
        }
        return new ArrayList<>(byId.values());
    }

    /** A file, a directory (its .yml and .yaml files, sorted) or a glob relative to the working directory. */
    static List<Path> expand(String pattern) {
        boolean glob = pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0
                || pattern.indexOf('{') >= 0;
        if (!glob) {
            Path p = Paths.get(pattern);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    return s.filter(x -> x.toString().endsWith(".yml") || x.toString().endsWith(".yaml")).sorted()
                            .toList();
                } catch (IOException e) {
                    throw new ConfigException(pattern + ": cannot list: " + e.getMessage(), e);
                }
            }
            if (!Files.isRegularFile(p)) {
                throw new ConfigException(pattern + ": no such rule file");
            }
            return List.of(p);
        }
        // Walk from the longest directory prefix without glob characters.
        String norm = pattern.replace('\\', '/');
        int firstGlob = indexOfGlob(norm);
        int slash = norm.lastIndexOf('/', firstGlob);
        Path base = slash < 0 ? Paths.get(".") : Paths.get(norm.substring(0, slash + 1));
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + norm);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> m.matches(slash < 0 ? base.relativize(p) : p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(pattern + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static int indexOfGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
