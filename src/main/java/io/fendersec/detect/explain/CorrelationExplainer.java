package io.fendersec.detect.explain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.CorrelationSpec;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.CountCondition;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.SlidingWindow;
import io.fendersec.detect.correlate.WindowMatch;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * Explains a correlation rule over a finite set of logs with the job's own parts: the
 * {@link RuleMatcher} turns each log into hits (group-by values, counted values, filters and
 * exceptions as in the job), and each group's hits go, in the job's order, through a
 * {@link SlidingWindow} twice: once with the rule's condition, which says which spans fire, and
 * once with a condition every span meets, which makes the window report what it measured in each
 * span. The verdict is the {@link LocalEvaluator}'s, which runs the job's processing.
 */
public final class CorrelationExplainer {
    /** A condition every measure meets: the window then reports every span with its measure. */
    private static final CountCondition ANY = CountCondition.of(CountCondition.Op.GTE, Long.MIN_VALUE);

    private final RuleSet rules;
    private final Normalizer normalizer;
    private final Clock clock;

    /** @param clock when the logs are evaluated (device times past it + max skew are cut, exceptions expire) */
    public CorrelationExplainer(RuleSet rules, Normalizer normalizer, Clock clock) {
        this.rules = rules;
        this.normalizer = normalizer;
        this.clock = clock;
    }

    public CorrelationExplanation explain(String id, List<LogRecord> logs) {
        if (!(rules.rule(id) instanceof CorrelationRule rule)) {
            throw new IllegalArgumentException("not a correlation rule: " + id);
        }
        List<Alert> alerts = new LocalEvaluator(normalizer, rules, DetectionSettings.defaults(), clock).evaluate(logs);
        boolean fired = alerts.stream().anyMatch(a -> a.ruleId().equals(id));
        for (String r : rule.rules()) {
            if (!(rules.rule(r) instanceof DetectionRule)) {
                return new CorrelationExplanation(rule, List.of(), fired, "it correlates correlation '" + r
                        + "', whose matches are windows of their own: explain that rule for its windows");
            }
        }
        Map<String, List<Hit>> byGroup = new LinkedHashMap<>();
        for (Hit h : hits(id, logs)) {
            byGroup.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(h);
        }
        List<CorrelationExplanation.Group> groups = new ArrayList<>();
        for (List<Hit> hs : byGroup.values()) {
            hs.sort(Hit.ORDER); // the order the keyed stage processes them in
            groups.add(group(rule, hs));
        }
        return new CorrelationExplanation(rule, groups, fired, null);
    }

    /** The hits of every log for correlation {@code id}, as the job's first stage makes them. */
    private List<Hit> hits(String id, List<LogRecord> logs) {
        RuleMatcher matcher = new RuleMatcher(rules, clock);
        long bound = clock.instant().plus(LocalEvaluator.MAX_CLOCK_SKEW).toEpochMilli();
        List<Hit> out = new ArrayList<>();
        List<GroupHits> matched = new ArrayList<>();
        for (LogRecord r : logs) { // in any order: each group's hits are sorted as the keyed stage sees them
            Long t = DeviceClock.eventTime(r, bound);
            if (t == null) {
                continue; // no valid time: counted by no correlation, as in the job
            }
            matched.clear();
            matcher.match(DeviceClock.judge(normalizer.normalize(r), t), t, true, matched);
            for (GroupHits g : matched) {
                for (Hit h : g.hits()) {
                    if (h.target().equals(id)) {
                        out.add(h);
                    }
                }
            }
        }
        return out;
    }

    private static CorrelationExplanation.Group group(CorrelationRule rule, List<Hit> hits) {
        CorrelationSpec spec = rule.spec();
        CorrelationSpec measuring = measuring(spec);
        SlidingWindow judged = new SlidingWindow();
        SlidingWindow measured = new SlidingWindow();
        List<CorrelationExplanation.Span> spans = new ArrayList<>();
        for (Hit h : hits) {
            List<WindowMatch> fired = judged.add(h, spec, 1);
            boolean fires = !fired.isEmpty();
            // impossible_travel measures a pair's speed, known when a pair is impossible
            Long m = fires && measuring == null ? fired.get(fired.size() - 1).count() : null;
            if (measuring != null) {
                List<WindowMatch> all = measured.add(h, measuring, 1);
                if (all.isEmpty()) {
                    continue; // the same match twice (a replayed log): counted once, as in the job
                }
                m = all.get(all.size() - 1).count();
            }
            String uuid = h.evidence().isEmpty() ? null : h.evidence().get(0);
            spans.add(new CorrelationExplanation.Span(h.time() - spec.timespanMillis(), h.time(), m, fires, h.source(),
                    uuid, h.value()));
        }
        Hit first = hits.get(0);
        return new CorrelationExplanation.Group(first.app(), first.group(), spans);
    }

    /**
     * The rule's spec with a condition every span meets, or null when the type judges pairs rather
     * than a measure (impossible_travel). rate_spike's measure is its event count; its baseline
     * judgement stays with the real spec.
     */
    private static CorrelationSpec measuring(CorrelationSpec spec) {
        if (spec.type() == CorrelationType.IMPOSSIBLE_TRAVEL) {
            return null;
        }
        CorrelationType type = spec.type() == CorrelationType.RATE_SPIKE ? CorrelationType.EVENT_COUNT : spec.type();
        return new CorrelationSpec(type, spec.timespanMillis(), ANY, spec.rules());
    }
}
