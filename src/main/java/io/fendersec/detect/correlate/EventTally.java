package io.fendersec.detect.correlate;

/** The number of events in the span (event_count, rate_spike): the span's length, nothing to keep. */
class EventTally extends CountTally {
    @Override
    public void enter(Hit h) {}

    @Override
    public void leave(Hit h) {}

    @Override
    long count(Span span) {
        return span.to() - span.from() + 1;
    }
}
