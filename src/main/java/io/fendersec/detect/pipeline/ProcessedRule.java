package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fendersec.detect.sigma.DetectionNode;
import io.fendersec.detect.sigma.DetectionParser;
import io.fendersec.detect.sigma.YamlNode;

/**
 * A rule document after the processing pipelines: the document the rule loader reads for
 * everything but the detection (logsource and correlation fields rewritten), and the detection
 * itself, which a one-to-many mapping may have taken beyond what YAML can say.
 */
public final class ProcessedRule {
    private final WorkingRule rule;

    ProcessedRule(WorkingRule rule) {
        this.rule = rule;
    }

    /** The rule document to read (the original when nothing but the detection changed). */
    public YamlNode document() {
        return rule.document();
    }

    /** Whether the rule has a detection to compile (not a correlation, and written with one). */
    public boolean hasDetection() {
        return !rule.correlation && rule.original.get("detection") != null && rule.original.get("detection").isMap();
    }

    /** The detection, compiled by {@code parser} exactly as a written rule's would be. */
    public DetectionNode detection(DetectionParser parser) {
        return rule.detection(parser);
    }

    /**
     * The field names the rule reads after processing: its detection items' fields (keywords have
     * none), fields named by {@code fieldref} values, and a correlation's group-by (less its
     * aliases), alias fields and counted field.
     */
    public List<String> fields() {
        Set<String> out = new LinkedHashSet<>();
        for (DetectionItem i : rule.items()) {
            if (i.field != null) {
                out.add(i.field);
            }
            if (i.hasModifier("fieldref")) {
                i.texts().stream().filter(t -> t != null).forEach(out::add);
            }
        }
        if (rule.correlation && rule.groupBy != null) {
            rule.groupBy.stream().filter(g -> !rule.aliases.containsKey(g)).forEach(out::add);
            rule.aliases.values().forEach(m -> m.values().stream().filter(f -> f != null).forEach(out::add));
            if (rule.conditionField != null) {
                out.add(rule.conditionField);
            }
        }
        return new ArrayList<>(out);
    }

    /** The rule's id in Fendersec (its name, else its id, else its title), for messages. */
    public String ruleName() {
        return ProcessingItem.ruleName(rule);
    }
}
