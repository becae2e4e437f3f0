package io.fendersec.detect.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * One entry of a pipeline's {@code transformations}: the transformation, its optional id, and the
 * rule, detection item and field name conditions that decide where it applies (pySigma's
 * {@code ProcessingItem}). {@link #where} names the file, the entry and its id in every message.
 */
final class ProcessingItem {
    /** Keys of an entry that are not parameters of the transformation. */
    static final Set<String> ITEM_KEYS = Set.of("id", "type", "rule_conditions", "rule_cond_op", "rule_cond_not",
            "rule_cond_expr", "detection_item_conditions", "detection_item_cond_op", "detection_item_cond_not",
            "detection_item_cond_expr", "field_name_conditions", "field_name_cond_op", "field_name_cond_not",
            "field_name_cond_expr");

    private record RuleAt(WorkingRule rule, PipelineRun run) {}

    private record ItemAt(DetectionItem item, PipelineRun run) {}

    private record FieldAt(String field, Set<String> applied) {}

    /** Its {@code id}; null when it has none (then no condition can name it). */
    final String id;
    /** "file: transformations[N] (id X)". */
    final String where;
    final String type;
    private final Transformation transformation;
    private final Conditions<RuleAt> ruleConditions;
    private final Conditions<ItemAt> itemConditions;
    private final Conditions<FieldAt> fieldConditions;

    private ProcessingItem(String id, String where, String type, Transformation t, Conditions<RuleAt> rc,
            Conditions<ItemAt> ic, Conditions<FieldAt> fc) {
        this.id = id;
        this.where = where;
        this.type = type;
        this.transformation = t;
        this.ruleConditions = rc;
        this.itemConditions = ic;
        this.fieldConditions = fc;
    }

    /** Reads entry {@code node}, at {@code path} (e.g. transformations[2]) of file {@code file}. */
    static ProcessingItem read(YamlNode node, String path) {
        if (!node.isMap()) {
            throw Args.error(node, path, "a processing item is a mapping with 'type'");
        }
        String id = node.get("id") != null && node.get("id").isScalar() ? node.text("id") : null;
        String label = path + (id == null ? "" : " (id " + id + ")");
        Args a = new Args(node, label, Set.of("id", "type"));
        String type = node.text("type");
        if (type == null) {
            throw a.error("type", "a processing item needs a 'type' (" + String.join(", ", Transformations.names()) + ")");
        }
        Function<Args, Transformation> reader = Transformations.reader(type);
        if (reader == null) {
            throw a.error("type", "unknown transformation type '" + type + "' (Fendersec runs "
                    + String.join(", ", Transformations.names()) + ")");
        }
        Conditions<RuleAt> rc = Conditions.read(a, "rule", "rule_conditions", ConditionTypes.RULE,
                c -> x -> c.test(x.rule(), x.run()));
        Conditions<ItemAt> ic = Conditions.read(a, "detection_item", "detection_item_conditions", ConditionTypes.ITEM,
                c -> x -> c.test(x.item(), x.run()));
        Conditions<FieldAt> fc = Conditions.read(a, "field_name", "field_name_conditions", ConditionTypes.FIELD,
                c -> x -> c.test(x.field(), x.applied()));
        Transformation t = reader.apply(a);
        a.done("transformation " + type);
        return new ProcessingItem(id, node.where() + ": " + label, type, t, rc, ic, fc);
    }

    Transformation transformation() {
        return transformation;
    }

    /** Applies the transformation when the rule conditions hold; then the rule counts as processed by it. */
    void apply(WorkingRule rule, PipelineRun run) {
        if (!ruleConditions.test(new RuleAt(rule, run))) {
            return;
        }
        transformation.apply(rule, this, run);
        if (id != null) {
            rule.applied.add(id);
        }
    }

    /** Whether the detection item and field name conditions hold for {@code item}. */
    boolean matches(DetectionItem item, PipelineRun run) {
        return itemConditions.test(new ItemAt(item, run)) && fieldConditions.test(new FieldAt(item.field, item.applied));
    }

    /** Whether the field name conditions hold for a field outside detection items (a correlation's). */
    boolean matchesField(String field) {
        return fieldConditions.test(new FieldAt(field, Set.of()));
    }

    /**
     * Runs {@code f} over the matching detection items of every search identifier. {@code f} returns
     * the item (changed in place: it sets {@link DetectionItem#changed}), a replacement (either way
     * marked as processed by this item), or {@link Edits#DROP}.
     */
    void editItems(WorkingRule rule, PipelineRun run, Function<DetectionItem, Detection> f) {
        for (Map.Entry<String, Detection> e : rule.detections.entrySet()) {
            e.setValue(e.getValue().replaceItems(d -> {
                DetectionItem i = (DetectionItem) d;
                if (!matches(i, run)) {
                    return i;
                }
                i.changed = false;
                Detection r = f.apply(i);
                if (r == Edits.DROP) {
                    return null;
                }
                if (r != i || i.changed) {
                    if (id != null) {
                        r.forEachItem(x -> x.applied.add(id));
                    }
                }
                return r;
            }));
        }
    }

    /** A failure this item raises for {@code rule} ({@code rule_failure} and friends). */
    ConfigException fail(WorkingRule rule, String message) {
        return new ConfigException(rule.original.where() + ": rule '" + ruleName(rule) + "': " + message
                + " (processing pipeline " + where + ")");
    }

    static String ruleName(WorkingRule rule) {
        String n = rule.attribute("name") != null ? rule.attribute("name") : rule.attribute("id");
        return n != null ? n : String.valueOf(rule.attribute("title"));
    }
}
