package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fendersec.detect.sigma.YamlNode;

/**
 * One {@code field|modifier...: value(s)} entry of a rule under processing (a keyword search has
 * no field). Values stay as written; the rule parser reads them (modifiers included) once the
 * pipelines are done, so a mapped rule is checked exactly like a written one.
 */
final class DetectionItem implements Detection {
    /** The field, or null for keywords. */
    String field;
    final List<String> modifiers;
    List<YamlNode> values;
    /** Where the item was written: file and line for messages and for new values. */
    final YamlNode where;
    /** Ids of the processing items applied to this item ({@code processing_item_applied}). */
    final Set<String> applied;
    /** Set by an edit that changed this item in place, so that it counts as processed. */
    boolean changed;

    DetectionItem(String field, List<String> modifiers, List<YamlNode> values, YamlNode where, Set<String> applied) {
        this.field = field;
        this.modifiers = new ArrayList<>(modifiers);
        this.values = new ArrayList<>(values);
        this.where = where;
        this.applied = new HashSet<>(applied);
    }

    /** Reads {@code key: value} of a selection; {@code key} "" for keywords. */
    static DetectionItem read(String key, YamlNode value) {
        String[] parts = key.split("\\|", -1);
        List<String> mods = new ArrayList<>(List.of(parts).subList(1, parts.length));
        return new DetectionItem(parts[0].isEmpty() ? null : parts[0], mods, value.asListOrSingle(), value, Set.of());
    }

    /** A copy for another field (one of the alternatives of a one-to-many mapping). */
    DetectionItem withField(String f) {
        return new DetectionItem(f, modifiers, values, where, applied);
    }

    String key() {
        return (field == null ? "" : field) + (modifiers.isEmpty() ? "" : "|" + String.join("|", modifiers));
    }

    YamlNode valueNode() {
        return values.size() == 1 ? values.get(0) : YamlNode.at(where, values);
    }

    /** The values as text; null for a YAML null. */
    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (YamlNode v : values) {
            out.add(v.isScalar() ? v.asText() : null);
        }
        return out;
    }

    boolean hasModifier(String m) {
        return modifiers.stream().anyMatch(x -> x.equalsIgnoreCase(m));
    }

    @Override
    public String toString() {
        return key();
    }
}
