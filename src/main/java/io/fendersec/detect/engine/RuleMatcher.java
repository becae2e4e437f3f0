package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.CorrelationRule;
import io.fendersec.detect.DetectionRule;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.model.LogFields;

/**
 * Runs every detection rule over one normalized log and turns matches into {@link Hit}s: one for
 * the rule's own alert (grouped by device) when it alerts on its own, and one per correlation
 * that uses it (grouped by that correlation's group-by, aliases resolved). Stateless and pure.
 */
public final class RuleMatcher implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RuleSet rules;

    public RuleMatcher(RuleSet rules) {
        this.rules = rules;
    }

    /**
     * @param forCorrelations false for a log too late for correlations: then only rules alerting
     *                        on their own are evaluated for it
     */
    public void match(NormalizedLog log, long time, boolean forCorrelations, List<Hit> out) {
        String uuid = log.record().uuid();
        List<String> evidence = uuid == null ? List.of() : List.of(uuid);
        String app = log.record().app();
        String device = log.record().deviceUdid();
        for (DetectionRule d : rules.detections()) {
            boolean own = rules.alertsOnItsOwn(d.id());
            List<String> users = forCorrelations ? rules.referencedBy(d.id()) : List.of();
            if (!own && users.isEmpty()) {
                continue;
            }
            if (!d.matches(log)) {
                continue;
            }
            if (own) {
                Map<String, String> group = device == null ? Map.of() : Map.of(LogFields.DEVICE_UDID, device);
                out.add(new Hit(d.id(), d.id(), app, group, time, null, device, evidence));
            }
            for (String cid : users) {
                CorrelationRule c = (CorrelationRule) rules.rule(cid);
                Map<String, String> group = groupValues(c, d.id(), log);
                if (group == null) {
                    continue; // an event without the group-by fields does not count for this correlation
                }
                String value = null;
                if (c.field() != null) {
                    value = log.get(c.fieldFor(c.field(), d.id()));
                    if (value == null) {
                        continue;
                    }
                }
                out.add(new Hit(cid, d.id(), app, group, time, value, device, evidence));
            }
        }
    }

    public List<Hit> match(NormalizedLog log, long time, boolean forCorrelations) {
        List<Hit> out = new ArrayList<>();
        match(log, time, forCorrelations, out);
        return out;
    }

    private static Map<String, String> groupValues(CorrelationRule c, String sourceRule, NormalizedLog log) {
        Map<String, String> group = new LinkedHashMap<>();
        for (String g : c.groupBy()) {
            String v = log.get(c.fieldFor(g, sourceRule));
            if (v == null) {
                return null;
            }
            group.put(g, v);
        }
        return group;
    }
}
