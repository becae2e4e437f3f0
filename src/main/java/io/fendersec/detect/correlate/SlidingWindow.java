package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
 * they fall into, so a late event still completes an attack.
 */
public final class SlidingWindow {
    private final List<Hit> events;
    /** The earliest event time ever added (pruning keeps it): where a rate_spike group's history starts. */
    private long historyStart;

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
        int k = Collections.binarySearch(events, hit, Hit.ORDER);
        if (k >= 0) {
            return List.of(); // the same hit twice (a replayed log): counted once
        }
        k = -k - 1;
        events.add(k, hit);
        historyStart = Math.min(historyStart, hit.time());
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

    /** Drops events older than {@code before}: no span that a future (allowed) event can start reaches them. */
    public void prune(long before) {
        int n = 0;
        while (n < events.size() && events.get(n).time() < before) {
            n++;
        }
        if (n > 0) {
            events.subList(0, n).clear();
        }
    }

    private WindowMatch evaluate(int j, CorrelationSpec spec, int evidenceCap) {
        long end = events.get(j).time();
        long start = end - spec.timespanMillis();
        int i = j;
        while (i > 0 && events.get(i - 1).time() >= start) {
            i--;
        }
        long measured = measure(i, j, spec);
        if (!spec.condition().test(measured)) {
            return null;
        }
        if (spec.type() == CorrelationType.RATE_SPIKE) {
            // The baseline: [start - length, start), cut to the group's history.
            long from = Math.max(start - spec.baseline().lengthMillis(), historyStart);
            long baselineCount = i - lowerBound(from);
            if (!spec.baseline().spike(measured, baselineCount, start - from, spec.timespanMillis())) {
                return null;
            }
        }
        // A set, not a list scan: windows of a busy group hold hundreds of events.
        Set<String> evidence = new LinkedHashSet<>();
        String device = null;
        boolean mixed = false;
        for (int x = i; x <= j; x++) {
            Hit h = events.get(x);
            for (String u : h.evidence()) {
                if (evidence.size() >= evidenceCap) {
                    break;
                }
                evidence.add(u);
            }
            if (h.device() != null) {
                if (device == null && !mixed) {
                    device = h.device();
                } else if (!Objects.equals(device, h.device())) {
                    mixed = true;
                    device = null;
                }
            }
        }
        return new WindowMatch(start, end, events.get(i).time(), end, measured, List.copyOf(evidence), device, mixed);
    }

    /** The index of the first event at or after {@code t}. */
    private int lowerBound(long t) {
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

    private long measure(int i, int j, CorrelationSpec spec) {
        switch (spec.type()) {
            case EVENT_COUNT:
            case RATE_SPIKE:
                return j - i + 1;
            case VALUE_COUNT: {
                Set<String> distinct = new HashSet<>();
                for (int x = i; x <= j; x++) {
                    String v = events.get(x).value();
                    if (v != null) {
                        distinct.add(v);
                    }
                }
                return distinct.size();
            }
            case TEMPORAL: {
                Set<String> rules = new HashSet<>();
                for (int x = i; x <= j; x++) {
                    rules.add(events.get(x).source());
                }
                rules.retainAll(spec.rules());
                return rules.size();
            }
            default: {
                // Ordered: the longest prefix of the rule list seen in order; a greedy scan finds it.
                List<String> order = spec.rules();
                int next = 0;
                for (int x = i; x <= j && next < order.size(); x++) {
                    if (events.get(x).source().equals(order.get(next))) {
                        next++;
                    }
                }
                return next;
            }
        }
    }
}
