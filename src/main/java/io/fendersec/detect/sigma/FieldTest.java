package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.List;

/**
 * One leaf of a parsed rule: a field (or, for keyword searches, every value of the log), its
 * modifiers, and the values already turned into matchers. Modifiers and values are read once,
 * here; the predicate ({@link DetectionCompiler}) and the rule index ({@link RequiredLiterals})
 * both read this, so they cannot disagree on what a modifier means.
 *
 * @param field     the field name, or null for a keyword search (any value of the log)
 * @param modifiers as written, in order
 * @param all       every matcher must hold (the {@code all} modifier); else one of them
 * @param negated   {@code neq}: true when no matcher holds
 * @param matchers  one per (transformed) value
 * @param where     file:line, for messages
 */
public record FieldTest(String field, List<Modifier> modifiers, boolean all, boolean negated,
        List<ValueMatcher> matchers, String where) implements Serializable {
    public FieldTest {
        modifiers = List.copyOf(modifiers);
        matchers = List.copyOf(matchers);
    }

    public boolean isKeywords() {
        return field == null;
    }

    /**
     * Whether every log this test holds for has a non-null value in {@link #field} (presence
     * semantics): true unless negated or one of the values it may hold by accepts a missing field
     * ({@code null}, {@code exists}).
     */
    public boolean requiresValue() {
        if (negated || field == null) {
            return false;
        }
        if (all) {
            return matchers.stream().anyMatch(ValueMatcher::needsValue);
        }
        return matchers.stream().allMatch(ValueMatcher::needsValue);
    }
}
