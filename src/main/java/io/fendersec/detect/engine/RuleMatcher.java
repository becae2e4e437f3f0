package io.fendersec.detect.engine;

import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.rule.ExceptionEntry;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.rule.SigmaFilter;
import io.fendersec.detect.correlate.CorrelationKind;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Travel;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.model.LogFields;

/**
 * Runs every detection rule over one normalized log and turns matches into hits: one for the
 * rule's own alert (grouped by device) when it alerts on its own, and one per correlation that
 * uses it (grouped by that correlation's group-by, aliases resolved). The hits of one log that
 * share a group and a keyed stage travel together as one {@link GroupHits}. Pure: nothing is kept
 * from one log to the next.
 *
 * <p>What a match leads to is resolved once, when the matcher is built ({@link Plan}), so that
 * the per-log loop does no rule-set lookups, and a {@link RuleIndex} of required literals leaves
 * only the rules that can match a log to be evaluated. Not thread-safe (a reused scratch array):
 * one instance per operator instance, as Flink deserializes one per subtask.
 *
 * <p>Sigma filters and exceptions ({@link Suppression}) are part of the match: a log a filter or
 * an active exception covers is no match of the rule it names (for a detection, no hit at all;
 * for a correlation, no hit for that correlation). Each drop is reported to the
 * {@link DropListener}, so nothing is silenced without a count. An exception's expiry is judged
 * against this matcher's {@link Clock} (processing time), never a log's device time, which the
 * device's owner sets.
 */
public final class RuleMatcher implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Plan[] plans;
    private final RuleIndex index;
    private final Suppression[] suppressions;
    private final Clock clock;
    private transient boolean[] candidates;
    private transient DropListener drops;

    /** A matcher judging exception expiry by the system clock (UTC). */
    public RuleMatcher(RuleSet rules) {
        this(rules, Clock.systemUTC());
    }

    /** @param clock processing time, against which exceptions expire (tests inject one) */
    public RuleMatcher(RuleSet rules, Clock clock) {
        this.clock = clock;
        this.suppressions = Suppression.of(rules).toArray(new Suppression[0]);
        List<Plan> ps = new ArrayList<>();
        for (DetectionRule d : rules.detections()) {
            List<Use> uses = new ArrayList<>();
            for (String cid : rules.referencedBy(d.id())) {
                uses.add(Use.of((CorrelationRule) rules.rule(cid), d.id(), rules.hitStage(cid), guards(cid, false)));
            }
            ps.add(new Plan(d, rules.alertsOnItsOwn(d.id()), rules.hitStage(d.id()), uses.toArray(new Use[0]),
                    guards(d.id(), true)));
        }
        this.plans = ps.toArray(new Plan[0]);
        this.index = new RuleIndex(rules.detections());
    }

    /** The suppressions of rule {@code id} (with those of every rule when it is a detection), or null when none. */
    private Suppression[] guards(String id, boolean detection) {
        List<Suppression> out = new ArrayList<>();
        for (Suppression s : suppressions) {
            if (s.rule().equals(id) || (detection && s.rule().equals(ExceptionEntry.ANY_RULE))) {
                out.add(s);
            }
        }
        return out.isEmpty() ? null : out.toArray(new Suppression[0]);
    }

    /** Every filter and exception this matcher applies, in the order of {@link DropListener#dropped}'s index. */
    public List<Suppression> suppressions() {
        return List.of(suppressions);
    }

    /** Told of each match a filter or exception drops; one listener per matcher (e.g. Flink counters). */
    public void onDrop(DropListener listener) {
        this.drops = listener;
    }

    /** Receives drops: {@code index} into {@link #suppressions()}. */
    @FunctionalInterface
    public interface DropListener {
        void dropped(int index);
    }

    /**
     * A filter or exception as the matcher applies it to one rule.
     *
     * @param index      its position in {@link #suppressions()}
     * @param kind       "exception" or "filter" (the metric group)
     * @param rule       the rule id, or {@code *} (an exception for every detection)
     * @param expiresAt  processing time (epoch ms) from which it no longer applies
     */
    public record Suppression(int index, String kind, String id, String rule, long expiresAt,
                              io.fendersec.detect.sigma.EventPredicate covers, boolean dropWhenCovered)
            implements Serializable {
        static List<Suppression> of(RuleSet rules) {
            List<Suppression> out = new ArrayList<>();
            for (SigmaFilter f : rules.filters()) {
                for (String r : f.rules()) {
                    out.add(new Suppression(out.size(), "filter", f.id(), r, Long.MAX_VALUE, f.condition(), false));
                }
            }
            for (ExceptionEntry e : rules.exceptions()) {
                out.add(new Suppression(out.size(), "exception", e.id(), e.rule(), e.expiresAtMillis(), e.covers(),
                        true));
            }
            return out;
        }

        /** "exception ex-test-users (brute-force)": how summaries name it. */
        public String label() {
            return kind + " " + id + " (" + rule + ")";
        }

        boolean drops(NormalizedLog log) {
            return covers.test(log) == dropWhenCovered;
        }
    }

    /** Whether one of {@code guards} drops the log (reported to the listener: the first that does). */
    private boolean dropped(Suppression[] guards, NormalizedLog log) {
        long now = Long.MIN_VALUE;
        for (Suppression s : guards) {
            if (s.expiresAt() != Long.MAX_VALUE) {
                if (now == Long.MIN_VALUE) {
                    now = clock.millis();
                }
                if (now >= s.expiresAt()) {
                    continue; // expired: no longer applies
                }
            }
            if (s.drops(log)) {
                if (drops != null) {
                    drops.dropped(s.index());
                }
                return true;
            }
        }
        return false;
    }

    /**
     * A detection rule, whether it alerts on its own (at stage {@code ownStage}), the correlations its
     * matches count for, and the filters and exceptions of the rule itself (null when none).
     */
    private record Plan(DetectionRule rule, boolean own, int ownStage, Use[] uses, Suppression[] guards)
            implements Serializable {}

    /**
     * A correlation using a rule: its stage, group-by names and the fields holding them in that rule's
     * events (and the location field for {@code impossible_travel}), and the correlation's own filters and
     * exceptions (null when none).
     */
    private record Use(String correlation, int stage, String[] groupNames, String[] groupFields, String valueField,
                       String locationField, CorrelationType type, List<String> valueFields, Suppression[] guards)
            implements Serializable {
        static Use of(CorrelationRule c, String sourceRule, int stage, Suppression[] guards) {
            String[] names = c.groupBy().toArray(new String[0]);
            String[] fields = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                fields[i] = c.fieldFor(names[i], sourceRule);
            }
            List<String> values = c.fieldsFor(sourceRule);
            String value = values.isEmpty() ? null : values.get(0);
            String location = c.travel() == null ? null : c.fieldFor(c.travel().locationField(), sourceRule);
            return new Use(c.id(), stage, names, fields, value, location, c.type(), values, guards);
        }

        /**
         * The group-by values in this log as group keys (canonical for folded fields, the placeholder
         * for an absent field that may be absent: {@link NormalizedLog#groupValue}), or null when a
         * field that must be there is missing.
         */
        Map<String, String> group(NormalizedLog log) {
            if (groupNames.length == 1) {
                String v = log.groupValue(groupFields[0]);
                return v == null ? null : Map.of(groupNames[0], v);
            }
            Map<String, String> group = new LinkedHashMap<>();
            for (int i = 0; i < groupNames.length; i++) {
                String v = log.groupValue(groupFields[i]);
                if (v == null) {
                    return null;
                }
                group.put(groupNames[i], v);
            }
            return group;
        }
    }

    /**
     * @param forCorrelations false for a log too late for correlations: then only rules alerting
     *                        on their own are evaluated for it
     */
    public void match(NormalizedLog log, long time, boolean forCorrelations, List<GroupHits> out) {
        match(log, time, forCorrelations, true, out);
    }

    /**
     * @param forOwn false for a log whose own rules already ran (one re-timed by the arrival lane):
     *               then only its hits for correlations are made
     */
    void match(NormalizedLog log, long time, boolean forCorrelations, boolean forOwn, List<GroupHits> out) {
        if (candidates == null) {
            candidates = new boolean[plans.length];
        }
        index.candidates(log, candidates);
        Groups groups = null;
        for (int i = 0; i < plans.length; i++) {
            Plan p = plans[i];
            if (!candidates[i]) {
                continue; // lacks every literal the rule requires: cannot match
            }
            boolean counts = forCorrelations && p.uses().length > 0;
            boolean own = forOwn && p.own();
            if (!own && !counts) {
                continue;
            }
            if (!p.rule().matches(log)) {
                continue;
            }
            if (p.guards() != null && dropped(p.guards(), log)) {
                continue; // a filter or exception of the rule: no match, for its alert and its correlations
            }
            if (groups == null) {
                groups = new Groups();
            }
            String id = p.rule().id();
            if (own) {
                String device = log.record().deviceUdid();
                Map<String, String> group = device == null ? Map.of() : Map.of(LogFields.DEVICE_UDID, device);
                groups.add(p.ownStage(), group, new GroupHits.Target(id, id, null));
            }
            if (!counts) {
                continue;
            }
            for (Use u : p.uses()) {
                Map<String, String> group = u.group(log);
                if (group == null) {
                    continue; // an event without a group-by field that must be there does not count here
                }
                String value = null;
                if (u.locationField() != null) {
                    // impossible_travel: where the sign-in was, and its region when known
                    value = Travel.value(u.valueField() == null ? null : log.get(u.valueField()),
                            log.get(u.locationField()));
                    if (value == null) {
                        continue;
                    }
                } else if (u.valueField() != null) {
                    // the type reads its field(s): canonical values, numbers, combinations
                    value = u.type().kind().hitValue(u.valueFields(), fieldsOf(log));
                    if (value == null) {
                        continue;
                    }
                }
                if (u.guards() != null && dropped(u.guards(), log)) {
                    continue; // the correlation's filter or exception: not counted there, still elsewhere
                }
                groups.add(u.stage(), group, new GroupHits.Target(u.correlation(), id, value));
            }
        }
        if (groups != null) {
            String uuid = log.record().uuid();
            groups.emit(log.record().app(), time, log.record().deviceUdid(), uuid == null ? List.of() : List.of(uuid),
                    out);
        }
    }

    /** The log's fields as a correlation type reads them; counted values canonical, so spelling neither adds nor hides one. */
    private static CorrelationKind.FieldValues fieldsOf(NormalizedLog log) {
        return new CorrelationKind.FieldValues() {
            @Override
            public String text(String field) {
                return log.get(field);
            }

            @Override
            public String counted(String field) {
                return log.countedValue(field);
            }
        };
    }

    /** The hits of one log, gathered by (stage, group). */
    private static final class Groups {
        private final List<Integer> stages = new ArrayList<>(2);
        private final List<Map<String, String>> groups = new ArrayList<>(2);
        private final List<List<GroupHits.Target>> targets = new ArrayList<>(2);

        void add(int stage, Map<String, String> group, GroupHits.Target t) {
            for (int i = 0; i < groups.size(); i++) {
                if (stages.get(i) == stage && groups.get(i).equals(group)) {
                    targets.get(i).add(t);
                    return;
                }
            }
            stages.add(stage);
            groups.add(group);
            targets.add(new ArrayList<>(List.of(t)));
        }

        void emit(String app, long time, String device, List<String> evidence, List<GroupHits> out) {
            for (int i = 0; i < groups.size(); i++) {
                out.add(new GroupHits(stages.get(i), app, groups.get(i), time, device, evidence, targets.get(i)));
            }
        }
    }

    public List<GroupHits> match(NormalizedLog log, long time, boolean forCorrelations) {
        List<GroupHits> out = new ArrayList<>();
        match(log, time, forCorrelations, out);
        return out;
    }
}
