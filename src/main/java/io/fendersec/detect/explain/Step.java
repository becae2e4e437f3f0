package io.fendersec.detect.explain;

import java.util.List;

/**
 * One node of an explained detection, with whether it held for the log: the condition's
 * operators, the named search identifiers (selections) and, at the leaves, the field tests as
 * written. Every outcome is the compiled rule's own predicate for that part, never a re-reading
 * of the rule text.
 */
public sealed interface Step {
    boolean held();

    /** A search identifier of the condition, e.g. {@code selection} or {@code filter_known}. */
    record Selection(String name, Step body, boolean held) implements Step {}

    /** An AND: a selection's fields, {@code and}, {@code all of}. */
    record AllOf(List<Step> parts, boolean held) implements Step {
        public AllOf {
            parts = List.copyOf(parts);
        }
    }

    /** An OR: a list of maps, {@code or}, {@code 1 of}. */
    record AnyOf(List<Step> parts, boolean held) implements Step {
        public AnyOf {
            parts = List.copyOf(parts);
        }
    }

    /** {@code not}: holds when {@code inner} does not. */
    record Not(Step inner, boolean held) implements Step {}

    /**
     * One {@code field|modifier|...: values} entry of a selection.
     *
     * @param written  the key as written, modifiers included ({@code message|contains|all}); empty for keywords
     * @param field    the field read, or null for a keyword search (every value of the log)
     * @param seen     the log's (normalized) value of the field, null when absent; for keywords, null
     * @param other    for {@code fieldref}: the field compared with, else null
     * @param otherSeen for {@code fieldref}: that field's value in the log
     * @param values   each value as written with its own outcome (null outcome when the values are
     *                 not judged one by one: a single value, or {@code neq})
     * @param where    file:line of the entry
     */
    record FieldCheck(String written, String field, String seen, String other, String otherSeen,
                      List<ValueOutcome> values, boolean held, String where) implements Step {
        public FieldCheck {
            values = List.copyOf(values);
        }

        public boolean isKeywords() {
            return field == null;
        }
    }

    /** A value as written in the rule and whether it held alone (null when not judged alone). */
    record ValueOutcome(String written, Boolean held) {}
}
