package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.sigma.YamlNode;

/**
 * What every field name transformation does with the names it maps (pySigma's
 * {@code FieldMappingTransformationBase}): a detection item's field (several names: the item
 * becomes an OR of one item per name), field names in {@code fieldref} values (several: more
 * values, which a field matches by OR), and a correlation's fields: alias mappings, group-by
 * (except alias names) and the counted field, where a mapping to several names is an error, as in
 * pySigma, since a group key or a count needs one field. Fendersec also maps an impossible_travel's
 * {@code location}.
 */
abstract class FieldMapper implements Transformation {
    /** The names {@code field} maps to, or null when this transformation leaves it. */
    abstract List<String> map(String field);

    @Override
    public final void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        if (rule.correlation) {
            correlation(rule, item);
            return;
        }
        item.editItems(rule, run, i -> {
            if (i.hasModifier("fieldref")) {
                List<YamlNode> vs = new ArrayList<>();
                for (YamlNode v : i.values) {
                    List<String> to = v.isScalar() && v.asText() != null && item.matchesField(v.asText())
                            ? map(v.asText()) : null;
                    if (to == null) {
                        vs.add(v);
                    } else {
                        to.forEach(t -> vs.add(YamlNode.at(v, t)));
                        i.changed = true;
                    }
                }
                i.values = vs;
            }
            List<String> to = i.field == null ? null : map(i.field);
            if (to == null) {
                return i;
            }
            if (to.size() == 1) {
                i.field = to.get(0);
                i.changed = true;
                return i;
            }
            List<Detection> alts = new ArrayList<>();
            to.forEach(f -> alts.add(i.withField(f)));
            return new Detection.Group(true, alts);
        });
    }

    private void correlation(WorkingRule rule, ProcessingItem item) {
        if (rule.groupBy == null) {
            return;
        }
        for (Map.Entry<String, Map<String, String>> a : rule.aliases.entrySet()) {
            Map<String, String> perRule = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : a.getValue().entrySet()) {
                perRule.put(e.getKey(), one(rule, item, e.getValue(), "alias '" + a.getKey() + "'"));
            }
            a.setValue(perRule);
        }
        List<String> groupBy = new ArrayList<>();
        for (String g : rule.groupBy) {
            List<String> to = rule.aliases.containsKey(g) || !item.matchesField(g) ? null : map(g);
            if (to == null) {
                groupBy.add(g);
            } else {
                groupBy.addAll(to);
            }
        }
        rule.groupBy = groupBy;
        rule.conditionField = one(rule, item, rule.conditionField, "the condition's field");
        rule.location = one(rule, item, rule.location, "location");
        rule.correlationChanged = true;
    }

    private String one(WorkingRule rule, ProcessingItem item, String field, String what) {
        if (field == null || !item.matchesField(field)) {
            return field;
        }
        List<String> to = map(field);
        if (to == null) {
            return field;
        }
        if (to.size() != 1) {
            throw item.fail(rule, "field '" + field + "' of " + what + " maps to " + to
                    + ": a correlation needs one field there (map it to one name for correlations)");
        }
        return to.get(0);
    }
}
