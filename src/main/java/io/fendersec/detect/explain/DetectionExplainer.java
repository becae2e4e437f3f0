package io.fendersec.detect.explain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.rule.ExceptionEntry;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.sigma.DetectionCompiler;
import io.fendersec.detect.sigma.DetectionNode;
import io.fendersec.detect.sigma.DetectionParser;
import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.EventPredicate;
import io.fendersec.detect.sigma.FieldTest;
import io.fendersec.detect.sigma.ValueMatcher;
import io.fendersec.detect.sigma.YamlNode;

/**
 * Explains a detection rule on one (normalized) log. The rule's {@code detection:} section is
 * parsed again by the parser that compiled it ({@link RuleLoader#writtenDetections()}), selection
 * by selection, and the condition is resolved over those selections: the result is the very tree
 * the rule's predicate was compiled from, now with names. Each field test is judged by its own
 * compiled predicate ({@link DetectionCompiler}), and operators combine them as the compiled
 * predicate does, so the explanation cannot read a modifier differently from the job. As a
 * guard, the tree's result is checked against the rule's predicate.
 */
public final class DetectionExplainer {
    private final RuleSet rules;
    private final Map<String, RuleLoader.WrittenDetection> written;
    private final Clock clock;
    /** Rules already taken apart: parsing and compiling once per rule, however many logs are explained. */
    private final Map<String, Named> named = new java.util.HashMap<>();
    /** The filters and exceptions as the job's matcher applies them. */
    private final List<RuleMatcher.Suppression> suppressions;

    /**
     * @param written the loader's {@link RuleLoader#writtenDetections()}
     * @param clock   processing time, against which exceptions expire (as the job's matcher)
     */
    public DetectionExplainer(RuleSet rules, Map<String, RuleLoader.WrittenDetection> written, Clock clock) {
        this.rules = rules;
        this.written = Map.copyOf(written);
        this.clock = clock;
        this.suppressions = new RuleMatcher(rules, clock).suppressions();
    }

    /** Whether {@code id} is a detection this explainer can take apart (pipelines rewrite some beyond YAML). */
    public boolean explains(String id) {
        return rules.rule(id) instanceof DetectionRule && written.containsKey(id);
    }

    /** Explains detection {@code id} on {@code log}; see {@link #explains}. */
    public DetectionExplanation explain(String id, Event log) {
        if (!(rules.rule(id) instanceof DetectionRule rule)) {
            throw new IllegalArgumentException("not a detection rule: " + id);
        }
        RuleLoader.WrittenDetection w = written.get(id);
        if (w == null) {
            throw new IllegalArgumentException("rule " + id + " was rewritten by a processing pipeline");
        }
        Named n = named.computeIfAbsent(id, k -> Named.parse(w));
        Step tree = n.step(n.root, log, true);
        if (tree.held() != rule.matches(log)) {
            // Cannot happen while the tree is the compiled one; never print a wrong explanation.
            throw new IllegalStateException("explanation of " + id + " disagrees with its compiled predicate");
        }
        List<DetectionExplanation.SuppressionOutcome> supp = suppressions(id, log);
        boolean dropped = supp.stream().anyMatch(s -> s.outcome() == DetectionExplanation.Outcome.DROPS);
        return new DetectionExplanation(id, rule.info().title(), conditionText(w.detection().get("condition")), tree,
                tree.held() ? null : firstFailure(tree), supp, tree.held() && !dropped);
    }

    /** The rule's filters and exceptions (with those for every detection) as the job's matcher applies them. */
    private List<DetectionExplanation.SuppressionOutcome> suppressions(String id, Event log) {
        List<DetectionExplanation.SuppressionOutcome> out = new ArrayList<>();
        long now = clock.millis();
        for (RuleMatcher.Suppression s : suppressions) {
            if (!s.rule().equals(id) && !s.rule().equals(ExceptionEntry.ANY_RULE)) {
                continue;
            }
            DetectionExplanation.Outcome o;
            if (s.expiresAt() != Long.MAX_VALUE && now >= s.expiresAt()) {
                o = DetectionExplanation.Outcome.EXPIRED;
            } else {
                // the matcher's own test: a filter drops what its condition does not pass, an exception what it covers
                o = s.covers().test(log) == s.dropWhenCovered() ? DetectionExplanation.Outcome.DROPS
                        : DetectionExplanation.Outcome.PASSES;
            }
            out.add(new DetectionExplanation.SuppressionOutcome(s.label(), o));
        }
        return out;
    }

    /**
     * The first part that failed, in the compiled predicate's order: in an AND the first false part,
     * in an OR (all false) its first part, for a {@code not} the {@code not} itself (its inner part held).
     */
    static Step firstFailure(Step s) {
        if (s instanceof Step.Selection sel) {
            return firstFailure(sel.body());
        }
        if (s instanceof Step.AllOf a) {
            for (Step p : a.parts()) {
                if (!p.held()) {
                    return firstFailure(p);
                }
            }
            throw new IllegalStateException("an AND that failed with no failing part");
        }
        if (s instanceof Step.AnyOf o) {
            return firstFailure(o.parts().get(0));
        }
        return s; // a field test, or a not whose inner part held
    }

    private static String conditionText(YamlNode condition) {
        List<String> alts = new ArrayList<>();
        for (YamlNode c : condition.asListOrSingle()) {
            alts.add(c.asText());
        }
        return alts.size() == 1 ? alts.get(0) : "(" + String.join(") or (", alts) + ")";
    }

    /** The parsed detection with the names of its selections and the written form of its field tests. */
    private static final class Named {
        private final DetectionParser parser;
        private final Map<DetectionNode, String> selections = new IdentityHashMap<>();
        private final Map<FieldTest, Leaf> leaves = new IdentityHashMap<>();
        private DetectionNode root;

        /**
         * A field test as written, its compiled predicate, and (when it has several values and is
         * not {@code neq}) the predicate of the same key with each value alone.
         */
        private record Leaf(String key, List<YamlNode> values, EventPredicate whole, List<EventPredicate> each) {}

        private Named(DetectionParser parser) {
            this.parser = parser;
        }

        static Named parse(RuleLoader.WrittenDetection w) {
            Named n = new Named(w.parser());
            Map<String, DetectionNode> searches = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : w.detection().asMap().entrySet()) {
                if (!e.getKey().equals("condition") && !e.getKey().equals("timeframe")) {
                    DetectionNode node = n.search(e.getValue());
                    searches.put(e.getKey(), node);
                    n.selections.put(node, e.getKey());
                }
            }
            // The parser resolves identifiers to these very objects: the names are found by identity.
            n.root = w.parser().condition(w.detection().get("condition"), searches);
            return n;
        }

        /** {@link DetectionParser#search} step by step, remembering each test's key and values. */
        private DetectionNode search(YamlNode search) {
            if (search.isMap()) {
                List<DetectionNode> parts = new ArrayList<>();
                for (Map.Entry<String, YamlNode> e : search.asMap().entrySet()) {
                    parts.add(leaf(e.getKey(), e.getValue()));
                }
                return DetectionNode.and(parts);
            }
            List<YamlNode> items = search.asListOrSingle();
            if (items.stream().allMatch(YamlNode::isMap)) {
                List<DetectionNode> alts = new ArrayList<>();
                for (YamlNode m : items) {
                    alts.add(search(m));
                }
                return DetectionNode.or(alts);
            }
            return leaf("", search);
        }

        private DetectionNode leaf(String key, YamlNode values) {
            FieldTest t = parser.field(key, values);
            DetectionNode.Test node = new DetectionNode.Test(t);
            List<YamlNode> vs = values.asListOrSingle();
            List<EventPredicate> each = new ArrayList<>();
            if (vs.size() > 1 && !t.negated()) {
                for (YamlNode v : vs) {
                    // the same key with this value alone, compiled as the rule's test is
                    each.add(DetectionCompiler.compile(new DetectionNode.Test(parser.field(key, v))));
                }
            }
            leaves.put(t, new Leaf(key, vs, DetectionCompiler.compile(node), each));
            return node;
        }

        Step step(DetectionNode node, Event log, boolean named) {
            String name = named ? selections.get(node) : null;
            if (name != null) {
                Step body = step(node, log, false);
                return new Step.Selection(name, body, body.held());
            }
            if (node instanceof DetectionNode.And a) {
                List<Step> parts = steps(a.parts(), log);
                return new Step.AllOf(parts, parts.stream().allMatch(Step::held));
            }
            if (node instanceof DetectionNode.Or o) {
                List<Step> parts = steps(o.parts(), log);
                return new Step.AnyOf(parts, parts.stream().anyMatch(Step::held));
            }
            if (node instanceof DetectionNode.Not n) {
                Step inner = step(n.inner(), log, true);
                return new Step.Not(inner, !inner.held());
            }
            return check((DetectionNode.Test) node, log);
        }

        private List<Step> steps(List<DetectionNode> nodes, Event log) {
            List<Step> out = new ArrayList<>(nodes.size());
            for (DetectionNode n : nodes) {
                out.add(step(n, log, true));
            }
            return out;
        }

        private Step check(DetectionNode.Test node, Event log) {
            FieldTest t = node.test();
            Leaf w = leaves.get(t);
            boolean held = w.whole().test(log);
            String other = null;
            for (ValueMatcher m : t.matchers()) {
                if (m instanceof ValueMatcher.FieldRef r) {
                    other = r.other();
                }
            }
            List<YamlNode> vs = w.values();
            List<Step.ValueOutcome> values = new ArrayList<>(vs.size());
            for (int i = 0; i < vs.size(); i++) {
                YamlNode v = vs.get(i);
                Boolean alone = w.each().isEmpty() ? null : w.each().get(i).test(log);
                values.add(new Step.ValueOutcome(v.scalar() == null ? "null" : v.asText(), alone));
            }
            String field = t.field();
            return new Step.FieldCheck(w.key(), field, field == null ? null : log.get(field), other,
                    other == null ? null : log.get(other), values, held, t.where());
        }
    }
}
