package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.sigma.YamlNode;

/**
 * {@code add_condition}: adds a search identifier made of {@code conditions} (a selection: field
 * names with modifiers, values) and makes every condition of the rule
 * {@code NAME and (condition)}, or {@code not NAME and (condition)} when {@code negated}. With
 * {@code template: true}, {@code $category}, {@code $product} and {@code $service} in the values
 * become the rule's logsource (an unset one: empty text). The name defaults to
 * {@code _cond_} plus the item's position; a name starting with '_' stays out of {@code them}.
 * Correlations are left as they are.
 */
final class AddCondition implements Transformation {
    private final YamlNode conditions;
    private final String name;
    private final boolean template;
    private final boolean negated;

    private AddCondition(YamlNode conditions, String name, boolean template, boolean negated) {
        this.conditions = conditions;
        this.name = name;
        this.template = template;
        this.negated = negated;
    }

    static AddCondition read(Args a) {
        YamlNode c = a.raw("conditions");
        if (c == null || !c.isMap() || c.asMap().isEmpty()) {
            throw a.error("conditions", "required: a mapping of fields to values, like a selection");
        }
        String name = a.text("name", false);
        return new AddCondition(c, name != null ? name : "_cond_" + Integer.toHexString(a.path.hashCode()),
                a.bool("template", false), a.bool("negated", false));
    }

    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        if (rule.correlation) {
            return;
        }
        List<Detection> items = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : conditions.asMap().entrySet()) {
            DetectionItem i = DetectionItem.read(e.getKey(), e.getValue());
            if (template) {
                List<YamlNode> vs = new ArrayList<>();
                for (YamlNode v : i.values) {
                    vs.add(v.scalar() instanceof String s ? YamlNode.at(v, fill(s, rule)) : v);
                }
                i.values = vs;
            }
            if (item.id != null) {
                i.applied.add(item.id);
            }
            items.add(i);
        }
        rule.detections.put(name, new Detection.Group(false, items));
        rule.conditions.replaceAll(c -> (negated ? "not " : "") + name + " and (" + c + ")");
    }

    private static String fill(String s, WorkingRule rule) {
        String[][] vars = {{"category", rule.category}, {"product", rule.product}, {"service", rule.service}};
        for (String[] v : vars) {
            String with = v[1] == null ? "" : v[1];
            s = s.replace("${" + v[0] + "}", with).replace("$" + v[0], with);
        }
        return s;
    }
}
