package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.CorrelationKind;
import io.fendersec.detect.correlate.CorrelationSpec;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.Episode;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.correlate.WindowMatch;
import io.fendersec.model.Alert;

/**
 * The per-key logic shared by the Flink operator and the local evaluator: feed a hit to its key's
 * sliding window, turn window matches into episodes (one alert per episode, suppression per rule
 * and group), and pass a correlation's new episodes on to the correlations that use it.
 */
public final class CorrelationProcessor implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where results go. */
    public interface Output {
        void alert(Alert alert);

        /** A hit for a correlation of a later stage (chaining). */
        void chained(Hit hit);
    }

    private final RuleSet rules;
    private final DetectionSettings settings;
    private final Map<String, CorrelationSpec> specs = new HashMap<>();
    /** The rules whose windows are judged when they close (temporal conditions with not). */
    private final Set<String> judgedAtClose = new HashSet<>();

    public CorrelationProcessor(RuleSet rules, DetectionSettings settings) {
        this.rules = rules;
        this.settings = settings;
        for (CorrelationRule c : rules.correlations()) {
            CorrelationSpec spec = c.spec();
            specs.put(c.id(), spec);
            if (spec.judgedAtClose()) {
                judgedAtClose.add(c.id());
            }
        }
    }

    /**
     * The rules whose windows are judged when they close ({@link #closeWindows}); a group's timer
     * must come at their {@link #nextClose}. Usually none: then nothing more is read per timer.
     */
    public Set<String> judgedAtClose() {
        return Collections.unmodifiableSet(judgedAtClose);
    }

    /** Processes one hit now (the caller keeps event-time order, or accepts a late hit). */
    public void process(KeyState state, Hit hit, Output out) {
        Rule rule = rules.rule(hit.target());
        if (rule == null) {
            throw new IllegalStateException("hit for unknown rule " + hit.target());
        }
        CorrelationSpec spec = specs.get(rule.id());
        if (spec == null) {
            // A detection alerting on its own: every hit is a match; episodes give one alert per attack.
            WindowMatch m = new WindowMatch(hit.time(), hit.time(), hit.time(), hit.time(), 1, hit.evidence(),
                    hit.logs(), hit.device(), false);
            onMatch(state, rule, hit, m, true, out);
            return;
        }
        if (spec.judgedAtClose()) {
            state.window().insert(hit); // judged when its windows close (closeWindows), not now
            return;
        }
        for (WindowMatch m : state.window().add(hit, spec, settings.evidenceCap())) {
            onMatch(state, rule, hit, m, false, out);
        }
    }

    private void onMatch(KeyState state, Rule rule, Hit hit, WindowMatch m, boolean additive, Output out) {
        long suppression = settings.suppression().toMillis();
        List<Episode> episodes = state.episodes();
        for (int i = 0; i < episodes.size(); i++) {
            Episode e = episodes.get(i);
            if (e.covers(m.end(), suppression)) {
                Episode grown = e.extend(m, additive, settings.evidenceCap());
                state.replaceEpisode(i, grown);
                if (settings.emitUpdates() && !grown.equals(e) && rules.alertsOnItsOwn(rule.id())) {
                    out.alert(alert(rule, hit, grown));
                }
                return;
            }
        }
        Episode e = Episode.open(m);
        state.addEpisode(e);
        if (rules.alertsOnItsOwn(rule.id())) {
            out.alert(alert(rule, hit, e));
        }
        if (rule instanceof CorrelationRule) {
            for (String outer : rules.referencedBy(rule.id())) {
                Hit chained = chainedHit((CorrelationRule) rules.rule(outer), rule.id(), hit, e);
                if (chained != null) {
                    out.chained(chained);
                }
            }
        }
    }

    /** A new episode of {@code inner}, as one event for {@code outer}; group-by resolved from inner's group. */
    private static Hit chainedHit(CorrelationRule outer, String inner, Hit hit, Episode e) {
        Map<String, String> group = new LinkedHashMap<>();
        for (String g : outer.groupBy()) {
            String v = hit.group().get(outer.fieldFor(g, inner));
            if (v == null) {
                return null;
            }
            group.put(g, v);
        }
        String value = null;
        if (!outer.fields().isEmpty()) {
            // the inner episode's group values are its fields, already in canonical form
            Map<String, String> g = hit.group();
            value = outer.type().kind().hitValue(outer.fieldsFor(inner), new CorrelationKind.FieldValues() {
                @Override
                public String text(String field) {
                    return g.get(field);
                }

                @Override
                public String counted(String field) {
                    return g.get(field);
                }
            });
            if (value == null) {
                return null;
            }
        }
        return new Hit(outer.id(), inner, hit.app(), group, e.start(), value, e.device(), e.evidence(), e.logs());
    }

    Alert alert(Rule rule, Hit hit, Episode e) {
        return Alert.builder()
                .alertId(Alert.idFor(rule.id(), hit.app(), hit.group(), e.start()))
                .ruleId(rule.id())
                .kind(rule.kind())
                .title(rule.info().title())
                .severity(rule.info().level())
                .app(hit.app())
                .group(hit.group())
                .window(e.windowStart(), e.windowEnd())
                .seen(e.firstSeen(), e.lastSeen())
                .count(e.count())
                .evidence(e.evidence())
                .device(e.device())
                .tags(rule.info().tags())
                .references(rule.info().references())
                .evidenceLogs(e.logs())
                .build();
    }

    /**
     * Judges the windows of {@code ruleId} (a temporal condition with {@code not}) that close in
     * {@code [from, through]}: the watermark reached their end, so every hit they can hold is here.
     * The caller makes each window close once: {@code from} is where the previous call stopped
     * (the group's timer, see {@link #nextClose}), {@code through} the watermark.
     */
    public void closeWindows(KeyState state, String ruleId, long from, long through, Output out) {
        CorrelationSpec spec = specs.get(ruleId);
        if (spec == null || !spec.judgedAtClose() || from > through) {
            return;
        }
        List<Hit> events = state.window().events();
        judged(state, ruleId, spec.temporal().closedWindows(events, from, through, spec.timespanMillis(),
                ordered(spec), settings.evidenceCap()), events, out);
    }

    /**
     * A hit processed behind the watermark (allowed lateness) whose own window has closed already:
     * judged now, as no timer will come for it. Other closed windows it falls into are not judged
     * again (an absence alert, once out, is not taken back; docs/rules.md).
     */
    public void closeLate(KeyState state, Hit hit, long watermark, Output out) {
        CorrelationSpec spec = specs.get(hit.target());
        if (spec == null || !spec.judgedAtClose() || !spec.temporal().isAnchor(hit)
                || hit.time() + spec.timespanMillis() > watermark) {
            return;
        }
        List<Hit> events = state.window().events();
        int a = events.indexOf(hit);
        if (a < 0) {
            return;
        }
        WindowMatch m = spec.temporal().judge(events, a, spec.timespanMillis(), ordered(spec), settings.evidenceCap());
        judged(state, hit.target(), m == null ? List.of() : List.of(m), events, out);
    }

    /** When the next window of {@code ruleId} closes after {@code watermark}, {@link Long#MAX_VALUE} when none. */
    public long nextClose(KeyState state, String ruleId, long watermark) {
        CorrelationSpec spec = specs.get(ruleId);
        if (spec == null || !spec.judgedAtClose()) {
            return Long.MAX_VALUE;
        }
        return spec.temporal().nextClose(state.window().events(), watermark, spec.timespanMillis());
    }

    private static boolean ordered(CorrelationSpec spec) {
        return spec.type() == CorrelationType.TEMPORAL_ORDERED;
    }

    private void judged(KeyState state, String ruleId, List<WindowMatch> matches, List<Hit> events, Output out) {
        Rule rule = rules.rule(ruleId);
        for (WindowMatch m : matches) {
            // every hit of a key has the key's app and group, which are all the alert takes from it
            onMatch(state, rule, events.get(0), m, false, out);
        }
    }

    /**
     * Forgets what no allowed event can still change: window events older than
     * {@code watermark - allowedLateness - timespan} (- baseline for rate_spike) and episodes whose suppression ended before
     * {@code watermark - allowedLateness}. Returns whether the key's state is now empty.
     */
    public boolean prune(KeyState state, String ruleId, long watermark) {
        long lateness = settings.allowedLateness().toMillis();
        CorrelationSpec spec = specs.get(ruleId);
        long span = spec == null ? 0 : spec.horizonMillis();
        state.window().prune(safeMinus(watermark, lateness + span));
        long horizon = safeMinus(watermark, lateness);
        long suppression = settings.suppression().toMillis();
        state.removeEpisodesIf(e -> e.lastMatch() + suppression < horizon);
        return state.isEmpty();
    }

    /**
     * How long after its latest time a key's state may still matter. The suppression counts only
     * for a key with an episode: without one, nothing is suppressed, and a key that never matched
     * (a credential-stuffing list's one-off accounts) can go once its window has emptied rather
     * than a suppression period later (issue 26 §1: within a one-hour run no such key was freed).
     * An episode opened later recomputes the key's cleanup, since the cleanup time follows the
     * stored state.
     */
    public long retention(String ruleId, boolean hasEpisodes) {
        CorrelationSpec spec = specs.get(ruleId);
        long span = spec == null ? 0 : spec.horizonMillis();
        long kept = settings.allowedLateness().toMillis() + span;
        return hasEpisodes ? kept + settings.suppression().toMillis() : kept;
    }

    private static long safeMinus(long a, long b) {
        return a < Long.MIN_VALUE + b ? Long.MIN_VALUE : a - b;
    }

    public RuleSet rules() {
        return rules;
    }

    public DetectionSettings settings() {
        return settings;
    }
}
