package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The events of one correlation group, in event-time order, and the sliding-window test of the
 * Sigma specification: the correlation holds when some span of {@code timespan} holds enough
 * matching events, wherever that span starts (no clock buckets). The spans tested are those that
 * end at an event: {@code [t - timespan, t]}, both ends included.
 *
 * <p>Pure and mutable, no Flink: the operator keeps one per key in state, and the local
 * evaluator uses it directly. Out-of-order adds are inserted in place and re-test every span
 * they fall into, so a late event still completes an attack. In-order adds, the usual case, only
 * test the span ending at the new event, which a {@link TailSpan} keeps measured.
 */
public final class SlidingWindow {
    private final List<Hit> events;
    /** The earliest event time ever added (pruning keeps it): where a rate_spike group's history starts. */
    private long historyStart;
    /** The span ending at the last event, measured incrementally; null until an in-order add needs it. */
    private TailSpan tail;

    public SlidingWindow() {
        this.events = new ArrayList<>();
        this.historyStart = Long.MAX_VALUE;
    }

    SlidingWindow(List<Hit> events) {
        this(events, events.isEmpty() ? Long.MAX_VALUE : events.get(0).time());
    }

    SlidingWindow(List<Hit> events, long historyStart) {
        this.events = new ArrayList<>(events);
        this.historyStart = events.isEmpty() ? historyStart : Math.min(historyStart, events.get(0).time());
    }

    /** The earliest event time ever added, {@link Long#MAX_VALUE} when none. */
    public long historyStart() {
        return historyStart;
    }

    public List<Hit> events() {
        return Collections.unmodifiableList(events);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /**
     * Adds a hit and returns the spans it makes hold, in order of their end. Usually (in-order
     * input) that is at most the span ending at the new hit.
     */
    public List<WindowMatch> add(Hit hit, CorrelationSpec spec, int evidenceCap) {
        int k = insertionPoint(hit);
        if (k < 0) {
            return List.of(); // the same hit twice (a replayed log): counted once
        }
        historyStart = Math.min(historyStart, hit.time());
        if (k == events.size()) {
            events.add(hit);
            return appended(spec, evidenceCap);
        }
        events.add(k, hit);
        tail = null; // its indices moved; built again at the next in-order hit
        List<WindowMatch> out = new ArrayList<>(1);
        long span = spec.timespanMillis();
        for (int j = k; j < events.size() && events.get(j).time() <= hit.time() + span; j++) {
            WindowMatch m = evaluate(j, spec, evidenceCap);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Adds a hit without judging any span: for a correlation whose windows are judged when they
     * close ({@link CorrelationSpec#judgedAtClose()}). False when the same hit is there already.
     */
    public boolean insert(Hit hit) {
        int k = insertionPoint(hit);
        if (k < 0) {
            return false;
        }
        historyStart = Math.min(historyStart, hit.time());
        events.add(k, hit);
        tail = null;
        return true;
    }

    /** Where {@code hit} goes in {@link #events}, or -1 when an equal one is there. */
    private int insertionPoint(Hit hit) {
        int n = events.size();
        if (n == 0 || Hit.ORDER.compare(events.get(n - 1), hit) < 0) {
            return n; // in order: after the last, no search
        }
        int k = Collections.binarySearch(events, hit, Hit.ORDER);
        return k >= 0 ? -1 : -k - 1;
    }

    /**
     * The in-order case: only the span ending at the new last event can change, and the tail span
     * measures it by sliding forward instead of re-scanning it.
     */
    private List<WindowMatch> appended(CorrelationSpec spec, int evidenceCap) {
        int j = events.size() - 1;
        CorrelationKind kind = spec.type().kind();
        if (!kind.slides()) {
            WindowMatch m = evaluate(j, spec, evidenceCap);
            return m == null ? List.of() : List.of(m);
        }
        if (tail != null && tail.isFor(spec)) {
            tail.append(events);
        } else {
            tail = TailSpan.of(events, spec, lowerBound(events.get(j).time() - spec.timespanMillis()));
        }
        Span span = new Span(this, events, tail.from(), j);
        if (!tail.tally().holds(span, spec)) {
            return List.of();
        }
        return List.of(match(span, tail.tally().reported(span), tail.device(), tail.mixedDevices(), spec,
                evidenceCap));
    }

    /** Drops events older than {@code before}: no span that a future (allowed) event can start reaches them. */
    public void prune(long before) {
        int n = 0;
        while (n < events.size() && events.get(n).time() < before) {
            n++;
        }
        if (n > 0) {
            events.subList(0, n).clear();
            if (tail != null && !tail.pruned(n)) {
                tail = null;
            }
        }
    }

    /** The span ending at event {@code j}, judged from scratch by its kind, if it holds. */
    private WindowMatch evaluate(int j, CorrelationSpec spec, int evidenceCap) {
        int i = lowerBound(events.get(j).time() - spec.timespanMillis());
        return spec.type().kind().judge(new Span(this, events, i, j), spec, evidenceCap);
    }

    /** A match over {@code span}, which measured {@code measured}; its devices found by a scan. */
    static WindowMatch match(Span span, long measured, CorrelationSpec spec, int evidenceCap) {
        String device = null;
        boolean mixed = false;
        for (int x = span.from(); x <= span.to(); x++) {
            String d = span.events().get(x).device();
            if (d != null) {
                if (device == null && !mixed) {
                    device = d;
                } else if (!Objects.equals(device, d)) {
                    mixed = true;
                    device = null;
                }
            }
        }
        return match(span, measured, device, mixed, spec, evidenceCap);
    }

    private static WindowMatch match(Span span, long measured, String device, boolean mixed, CorrelationSpec spec,
                                     int evidenceCap) {
        long end = span.end();
        // The evidence (the span's first evidenceCap distinct uuids, and their logs) waits until
        // someone needs it, so the match keeps the hits it would read: only the span's prefix that
        // holds those uuids. Copying the whole span made every hit of a busy window cost its size:
        // a per-app window of 166,000 failed sign-ins (issue 26's stuffing hour) copied 166,000
        // references per hit once its condition held, quadratic in the window, and each copy was a
        // humongous allocation for the G1 collector (full GCs every few seconds under -Xmx1g).
        int prefixEnd = evidencePrefixEnd(span, evidenceCap);
        Hit[] hits = span.events().subList(span.from(), prefixEnd).toArray(new Hit[0]);
        return WindowMatch.ofSpan(end - spec.timespanMillis(), end, measured, hits, evidenceCap, device, mixed);
    }

    /**
     * The end (exclusive) of the shortest prefix of {@code span} whose hits carry its first
     * {@code cap} distinct evidence uuids: what {@link WindowMatch} reads, and nothing after it.
     */
    static int evidencePrefixEnd(Span span, int cap) {
        Set<String> seen = new HashSet<>();
        for (int x = span.from(); x <= span.to(); x++) {
            for (String u : span.events().get(x).evidence()) {
                if (seen.size() >= cap) {
                    return x + 1;
                }
                seen.add(u);
            }
            if (seen.size() >= cap) {
                return x + 1;
            }
        }
        return span.to() + 1;
    }

    /** The index of the first event at or after {@code t}. */
    int lowerBound(long t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).time() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
