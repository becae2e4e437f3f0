package io.fendersec.detect.correlate;

/**
 * What a {@link CorrelationKind} keeps of a span as events enter it (at its end) and leave it (at
 * its start), so that sliding the span does not mean measuring it again. Derived data: never
 * serialized, built again from the window's events whenever the span cannot slide.
 */
interface Tally {
    void enter(Hit h);

    void leave(Hit h);

    /** Whether {@code span}, whose events are exactly those entered and not left, holds. */
    boolean holds(Span span, CorrelationSpec spec);

    /** What the alert reports as its count for {@code span}: the measure, as a whole number. */
    long reported(Span span);
}
