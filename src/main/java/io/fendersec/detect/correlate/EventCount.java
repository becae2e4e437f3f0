package io.fendersec.detect.correlate;

/** Sigma's {@code event_count}: the number of matching events in the span. */
final class EventCount extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        return new EventTally();
    }
}
