package io.fendersec.detect.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.detect.rule.RuleInfo;

/** Reads what every Sigma rule carries besides its logic: id, title, level, tags, references. */
final class RuleInfoReader {
    private static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");

    private RuleInfoReader() {}

    /** The rule's id in Fendersec: its Sigma {@code name} when it has one, else its Sigma {@code id}; null when neither. */
    static String ruleId(YamlNode doc) {
        String name = doc.text("name");
        return name != null ? name : doc.text("id");
    }

    static RuleInfo read(YamlNode doc) {
        String id = ruleId(doc);
        if (id == null || id.isBlank()) {
            throw doc.error("a rule needs a 'name' or an 'id' (the name is the rule id)");
        }
        String title = doc.text("title");
        if (title == null) {
            throw doc.error("rule '" + id + "' has no title");
        }
        String level = doc.text("level");
        if (level != null && !LEVELS.contains(level)) {
            throw doc.get("level").error("level is one of informational, low, medium, high, critical");
        }
        YamlNode refs = doc.get("references") != null ? doc.get("references") : doc.get("reference");
        return new RuleInfo(id, doc.text("id"), doc.text("name"), title, level == null ? "medium" : level,
                doc.text("description"), texts(doc.get("tags")), texts(refs), doc.where());
    }

    /** A scalar or a list of scalars as texts; none when absent. */
    static List<String> texts(YamlNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && !n.isNull()) {
            for (YamlNode x : n.asListOrSingle()) {
                String t = x.asText();
                if (t == null) {
                    // e.g. "[a, , b]" or an anchor on nothing: an empty entry is a mistake, never a null name
                    throw x.error("an empty entry in a list of names or tags");
                }
                out.add(t);
            }
        }
        return out;
    }
}
