package io.fendersec.detect.correlate;

import java.util.List;
import java.util.Set;

/**
 * One correlation type, in one room: which fields of an event it reads ({@link #hitValue}), what it
 * keeps of a span and when the span holds ({@link #tally}), and what its Sigma document may say
 * ({@link #fieldUse}, {@link #ownKeys}, {@link #defaultCondition}). {@link SlidingWindow} and
 * {@link TailSpan} only slide spans and ask the kind; the rule reader only asks the kind. Adding a
 * type is a subclass and a constant of {@link CorrelationType}, nothing else.
 *
 * <p>Stateless: one instance per type serves every rule of it.
 */
public abstract class CorrelationKind {
    /** What a correlation's {@code field} may be. */
    public enum FieldUse {
        /** No field. */
        NONE,
        /** Exactly one field, required. */
        ONE,
        /** One field or a list of them, required. */
        ONE_OR_LIST,
        /** At most one field. */
        OPTIONAL
    }

    /** An event's field values as a hit is made from it. */
    public interface FieldValues {
        /** The value as written, null when absent. */
        String text(String field);

        /** The value as group keys compare it (canonical spellings), null when absent. */
        String counted(String field);
    }

    /** A fresh tally of an empty span of a rule of this kind. */
    abstract Tally tally(CorrelationSpec spec);

    /**
     * Whether a span is judged by a {@link Tally} that slides with the window. A kind that judges
     * something else (impossible_travel: pairs of events) says false and overrides {@link #judge}.
     */
    boolean slides() {
        return true;
    }

    /** Whether {@code span} holds, judged from scratch: its events entered into a fresh tally. */
    WindowMatch judge(Span span, CorrelationSpec spec, int evidenceCap) {
        Tally t = tally(spec);
        for (int x = span.from(); x <= span.to(); x++) {
            t.enter(span.events().get(x));
        }
        return t.holds(span, spec) ? SlidingWindow.match(span, t.reported(span), spec, evidenceCap) : null;
    }

    /**
     * The value a hit of this kind carries, read from the event's {@code fields} (the rule's
     * {@code field}, resolved through its aliases); null when the event does not count. Only asked
     * when the rule has fields.
     */
    public String hitValue(List<String> fields, FieldValues event) {
        return null;
    }

    public FieldUse fieldUse() {
        return FieldUse.NONE;
    }

    /** Correlation keys only this kind takes (rate_spike's baseline, ...). */
    public Set<String> ownKeys() {
        return Set.of();
    }

    /** The condition when the document has none, null when one is required. */
    public CountCondition defaultCondition(int referencedRules) {
        return null;
    }

    /**
     * Whether the condition may be a Sigma v2.2 expression over rule names ({@link TemporalCondition}):
     * the temporal types.
     */
    public boolean takesExpression() {
        return false;
    }

    /** Whether condition bounds may be fractions (the metric types); else whole numbers. */
    public boolean fractionalBounds() {
        return false;
    }

    /** Whether the condition names a {@code percentile} (value_percentile), which it then needs. */
    public boolean takesPercentile() {
        return false;
    }

    /** Checks the settings that belong to other kinds are absent and this kind's are there. */
    void check(CountCondition condition, Baseline baseline, Travel travel) {
        if (baseline != null) {
            throw new IllegalArgumentException("a baseline is needed by rate_spike, and only there");
        }
        if (travel != null) {
            throw new IllegalArgumentException("travel settings are needed by impossible_travel, and only there");
        }
        if ((condition.percentile() != null) != takesPercentile()) {
            throw new IllegalArgumentException("a percentile belongs to value_percentile, which needs one");
        }
    }
}
