package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.CorrelationRule;
import io.fendersec.detect.DetectionRule;
import io.fendersec.detect.RuleSet;
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
 */
public final class RuleMatcher implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Plan[] plans;
    private final RuleIndex index;
    private transient boolean[] candidates;

    public RuleMatcher(RuleSet rules) {
        List<Plan> ps = new ArrayList<>();
        for (DetectionRule d : rules.detections()) {
            List<Use> uses = new ArrayList<>();
            for (String cid : rules.referencedBy(d.id())) {
                uses.add(Use.of((CorrelationRule) rules.rule(cid), d.id(), rules.hitStage(cid)));
            }
            ps.add(new Plan(d, rules.alertsOnItsOwn(d.id()), rules.hitStage(d.id()), uses.toArray(new Use[0])));
        }
        this.plans = ps.toArray(new Plan[0]);
        this.index = new RuleIndex(rules.detections());
    }

    /** A detection rule, whether it alerts on its own (at stage {@code ownStage}), and the correlations its matches count for. */
    private record Plan(DetectionRule rule, boolean own, int ownStage, Use[] uses) implements Serializable {}

    /** A correlation using a rule: its stage, group-by names and the fields holding them in that rule's events. */
    private record Use(String correlation, int stage, String[] groupNames, String[] groupFields, String valueField,
                       String locationField) implements Serializable {
        static Use of(CorrelationRule c, String sourceRule, int stage) {
            String[] names = c.groupBy().toArray(new String[0]);
            String[] fields = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                fields[i] = c.fieldFor(names[i], sourceRule);
            }
            String value = c.field() == null ? null : c.fieldFor(c.field(), sourceRule);
            String location = c.travel() == null ? null : c.fieldFor(c.travel().locationField(), sourceRule);
            return new Use(c.id(), stage, names, fields, value, location);
        }

        /** The group-by values in this log, or null when one is missing. */
        Map<String, String> group(NormalizedLog log) {
            if (groupNames.length == 1) {
                String v = log.get(groupFields[0]);
                return v == null ? null : Map.of(groupNames[0], v);
            }
            Map<String, String> group = new LinkedHashMap<>();
            for (int i = 0; i < groupNames.length; i++) {
                String v = log.get(groupFields[i]);
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
            if (!p.own() && !counts) {
                continue;
            }
            if (!p.rule().matches(log)) {
                continue;
            }
            if (groups == null) {
                groups = new Groups();
            }
            String id = p.rule().id();
            if (p.own()) {
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
                    continue; // an event without the group-by fields does not count for this correlation
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
                    value = log.get(u.valueField());
                    if (value == null) {
                        continue;
                    }
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
