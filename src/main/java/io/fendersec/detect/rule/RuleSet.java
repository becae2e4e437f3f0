package io.fendersec.detect.rule;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.error.ConfigException;

/**
 * The loaded, resolved rules: detections, correlations, who references whom, and in which stage
 * each correlation runs (1 for correlations over detections, n+1 for those over a stage-n
 * correlation). Immutable and serializable: it travels inside the Flink operators.
 */
public final class RuleSet implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Rule> rules;
    private final List<DetectionRule> detections;
    private final List<CorrelationRule> correlations;
    private final Map<String, List<String>> referencedBy;
    private final Map<String, Integer> stages;
    private final Set<String> alerting;
    private final int maxStage;
    private final List<Skipped> skipped;
    private final List<SigmaFilter> filters;
    private final List<ExceptionEntry> exceptions;

    /** A rule that was read but does not run on Bugfender logs, and why. */
    public record Skipped(String id, String title, String source, String reason) implements Serializable {}

    public RuleSet(List<Rule> all) {
        this(all, List.of());
    }

    public RuleSet(List<Rule> all, List<Skipped> skipped) {
        this(all, skipped, List.of(), List.of());
    }

    /**
     * @param filters    Sigma filters, their rule references resolved to ids of {@code all}
     * @param exceptions {@code rules.exceptions} entries, their rules resolved to ids of {@code all} (or {@code *})
     */
    public RuleSet(List<Rule> all, List<Skipped> skipped, List<SigmaFilter> filters, List<ExceptionEntry> exceptions) {
        this.skipped = List.copyOf(skipped);
        this.filters = List.copyOf(filters);
        this.exceptions = List.copyOf(exceptions);
        Map<String, Rule> byId = new LinkedHashMap<>();
        List<DetectionRule> ds = new ArrayList<>();
        List<CorrelationRule> cs = new ArrayList<>();
        for (Rule r : all) {
            Rule prev = byId.put(r.id(), r);
            if (prev != null) {
                throw new ConfigException(r.info().source() + ": rule id '" + r.id() + "' is already used at "
                        + prev.info().source());
            }
            if (r instanceof DetectionRule) {
                ds.add((DetectionRule) r);
            } else {
                cs.add((CorrelationRule) r);
            }
        }
        Map<String, List<String>> refs = new HashMap<>();
        Set<String> generated = new LinkedHashSet<>();
        for (CorrelationRule c : cs) {
            for (String ref : c.rules()) {
                if (!byId.containsKey(ref)) {
                    throw new ConfigException(c.info().source() + ": correlation '" + c.id()
                            + "' references unknown rule '" + ref + "'");
                }
                refs.computeIfAbsent(ref, k -> new ArrayList<>()).add(c.id());
                if (c.generate()) {
                    generated.add(ref);
                }
            }
        }
        Map<String, Integer> st = new HashMap<>();
        int max = 0;
        for (CorrelationRule c : cs) {
            max = Math.max(max, stage(c, byId, st, new LinkedHashSet<>()));
        }
        Set<String> alert = new LinkedHashSet<>();
        for (Rule r : all) {
            // As the Sigma specification says, a rule used by a correlation does not alert on its
            // own unless a correlation using it says generate: true.
            if (!refs.containsKey(r.id()) || generated.contains(r.id())) {
                alert.add(r.id());
            }
        }
        refs.replaceAll((k, v) -> List.copyOf(v));
        this.rules = Collections.unmodifiableMap(byId);
        this.detections = List.copyOf(ds);
        this.correlations = List.copyOf(cs);
        this.referencedBy = Map.copyOf(refs);
        this.stages = Map.copyOf(st);
        this.alerting = Collections.unmodifiableSet(alert);
        this.maxStage = max;
    }

    private static int stage(CorrelationRule c, Map<String, Rule> byId, Map<String, Integer> memo, Set<String> path) {
        Integer known = memo.get(c.id());
        if (known != null) {
            return known;
        }
        if (!path.add(c.id())) {
            throw new ConfigException(c.info().source() + ": correlation '" + c.id() + "' references itself through "
                    + String.join(" -> ", path));
        }
        int s = 1;
        for (String ref : c.rules()) {
            Rule r = byId.get(ref);
            if (r instanceof CorrelationRule) {
                s = Math.max(s, 1 + stage((CorrelationRule) r, byId, memo, path));
            }
        }
        path.remove(c.id());
        memo.put(c.id(), s);
        return s;
    }

    public static RuleSet empty() {
        return new RuleSet(List.of());
    }

    public Map<String, Rule> rules() {
        return rules;
    }

    public Rule rule(String id) {
        return rules.get(id);
    }

    public List<DetectionRule> detections() {
        return detections;
    }

    public List<CorrelationRule> correlations() {
        return correlations;
    }

    /** The correlations that use rule {@code id}. */
    public List<String> referencedBy(String id) {
        return referencedBy.getOrDefault(id, List.of());
    }

    /** Whether the rule raises alerts of its own. */
    public boolean alertsOnItsOwn(String id) {
        return alerting.contains(id);
    }

    /**
     * Rule {@code id} with the rules it references, directly or through other correlations, and
     * nothing else: a set in which {@code id} alerts on its own. Rule self-tests use it to see a
     * helper detection (one a correlation counts) match.
     */
    public RuleSet withReferences(String id) {
        Set<String> keep = new LinkedHashSet<>();
        addWithReferences(id, keep);
        List<Rule> subset = new ArrayList<>();
        for (Rule r : rules.values()) {
            if (keep.contains(r.id())) {
                subset.add(r);
            }
        }
        // The filters and exceptions of the rules kept come along: a self-test sees what the job sees.
        List<SigmaFilter> fs = new ArrayList<>();
        for (SigmaFilter f : filters) {
            List<String> on = f.rules().stream().filter(keep::contains).toList();
            if (!on.isEmpty()) {
                fs.add(new SigmaFilter(f.id(), f.title(), on, f.source(), f.condition()));
            }
        }
        List<ExceptionEntry> es = exceptions.stream()
                .filter(e -> e.rule().equals(ExceptionEntry.ANY_RULE) || keep.contains(e.rule())).toList();
        return new RuleSet(subset, List.of(), fs, es);
    }

    private void addWithReferences(String id, Set<String> keep) {
        Rule r = rules.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no rule '" + id + "'");
        }
        if (keep.add(id) && r instanceof CorrelationRule c) {
            c.rules().forEach(ref -> addWithReferences(ref, keep));
        }
    }

    /** 0 for detections, 1.. for correlations. */
    public int stage(String id) {
        return stages.getOrDefault(id, 0);
    }

    /**
     * The keyed stage that processes hits for {@code target}: a correlation's own stage, or 1 for
     * a detection alerting on its own.
     */
    public int hitStage(String target) {
        return Math.max(1, stage(target));
    }

    public int maxStage() {
        return maxStage;
    }

    /** Rules read but not run (their logsource names another product), with the reason. */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** Sigma filters, in the order read; each names the rule ids it applies to. */
    public List<SigmaFilter> filters() {
        return filters;
    }

    /**
     * Exceptions ({@code rules.exceptions}), in file order, expired ones included: whether one
     * applies is judged at match time ({@link ExceptionEntry#activeAt}).
     */
    public List<ExceptionEntry> exceptions() {
        return exceptions;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public int size() {
        return rules.size();
    }
}
