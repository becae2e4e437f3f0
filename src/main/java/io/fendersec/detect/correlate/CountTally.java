package io.fendersec.detect.correlate;

/** A tally whose measure is a whole number (the count types): the condition bounds it. */
abstract class CountTally implements Tally {
    abstract long count(Span span);

    @Override
    public boolean holds(Span span, CorrelationSpec spec) {
        return spec.condition().test(count(span));
    }

    @Override
    public long reported(Span span) {
        return count(span);
    }
}
