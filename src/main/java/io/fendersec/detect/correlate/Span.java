package io.fendersec.detect.correlate;

import java.util.List;

/**
 * The events {@code from..to} of a {@link SlidingWindow}: the span {@code [end - timespan, end]}
 * ending at event {@code to}, as a {@link CorrelationKind} judges it. A view, valid while the
 * window does not change.
 */
final class Span {
    private final SlidingWindow window;
    private final List<Hit> events;
    private final int from;
    private final int to;

    Span(SlidingWindow window, List<Hit> events, int from, int to) {
        this.window = window;
        this.events = events;
        this.from = from;
        this.to = to;
    }

    List<Hit> events() {
        return events;
    }

    int from() {
        return from;
    }

    int to() {
        return to;
    }

    /** The span's end: the time of its last event. */
    long end() {
        return events.get(to).time();
    }

    /** How many of the window's events lie in {@code [t, start of this span)}. */
    int eventsBefore(long t) {
        return from - window.lowerBound(t);
    }

    /** The earliest event time the window ever held. */
    long historyStart() {
        return window.historyStart();
    }
}
