package io.fendersec.detect.correlate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The span that ends at a {@link SlidingWindow}'s last event, {@code [last - timespan, last]}, kept
 * measured as hits are appended. In-order input only ever appends, and then the span only slides
 * forward: counting the events that enter and leave it replaces re-scanning it on every hit (a
 * busy group holds hundreds of events per span).
 *
 * <p>Derived data, never serialized: the window drops it on any change other than an append (an
 * out-of-order insert, a prune reaching into the span) and builds it again from its events, so
 * state restored from a checkpoint measures exactly as the state that was written.
 */
final class TailSpan {
    private final CorrelationSpec spec;
    /** Index of the span's first event in the window. */
    private int from;
    /** Index of the window's last event: the span's end. */
    private int last;
    /**
     * What the span holds of the counted key (value_count: non-null values; temporal: referenced
     * rules that matched) and how many times each; null for the other types.
     */
    private final Map<String, int[]> counts;
    /**
     * Devices, tracked in O(1) per event: the latest event that has a device, that device, and the
     * latest event with another device. The span is from several devices exactly when that other
     * one is inside it.
     */
    private int lastWithDevice = -1;
    private String device;
    private int lastWithOtherDevice = -1;

    private TailSpan(CorrelationSpec spec, int from) {
        this.spec = spec;
        this.from = from;
        this.last = from - 1;
        this.counts = spec.type() == CorrelationType.VALUE_COUNT || spec.type() == CorrelationType.TEMPORAL
                ? new HashMap<>() : null;
    }

    /** The span ending at the last of {@code events} (not empty), measured from scratch. */
    static TailSpan of(List<Hit> events, CorrelationSpec spec, int from) {
        TailSpan s = new TailSpan(spec, from);
        while (s.last < events.size() - 1) {
            s.enter(events.get(++s.last), s.last);
        }
        return s;
    }

    /** Whether this measures for {@code spec} (a window serves one rule, but nothing forces it). */
    boolean isFor(CorrelationSpec spec) {
        return this.spec == spec || this.spec.equals(spec); // the same instance, usually
    }

    /** Takes in the event just appended to {@code events}, and lets out those now older than the span. */
    void append(List<Hit> events) {
        Hit h = events.get(++last);
        enter(h, last);
        long start = h.time() - spec.timespanMillis();
        while (events.get(from).time() < start) {
            leave(events.get(from++));
        }
    }

    /**
     * Follows the removal of the window's first {@code removed} events; false when they reached
     * into the span (then this no longer describes it).
     */
    boolean pruned(int removed) {
        if (removed > from) {
            return false;
        }
        from -= removed;
        last -= removed;
        lastWithDevice -= removed;
        lastWithOtherDevice -= removed;
        return true;
    }

    int from() {
        return from;
    }

    /** What the correlation measures over the span (see {@link SlidingWindow}). */
    long measure(List<Hit> events) {
        switch (spec.type()) {
            case VALUE_COUNT:
                return counts.size();
            case TEMPORAL:
                return spec.temporal() != null ? spec.temporal().measurePresent(counts.keySet()) : counts.size();
            case TEMPORAL_ORDERED:
                return spec.temporal() != null ? spec.temporal().measure(events, from, last, true)
                        : SlidingWindow.orderedPrefix(events, from, last, spec.rules());
            default:
                return last - from + 1;
        }
    }

    /** The one device behind the span's events, null when none or several. */
    String device() {
        return lastWithDevice >= from && !mixedDevices() ? device : null;
    }

    boolean mixedDevices() {
        return lastWithOtherDevice >= from;
    }

    private void enter(Hit h, int index) {
        String key = counted(h);
        if (key != null) {
            counts.computeIfAbsent(key, k -> new int[1])[0]++;
        }
        if (h.device() != null) {
            if (!h.device().equals(device)) {
                // the latest event with a device had `device`, not h's: it is now the latest with another
                lastWithOtherDevice = lastWithDevice;
                device = h.device();
            }
            lastWithDevice = index;
        }
    }

    private void leave(Hit h) {
        String key = counted(h);
        if (key != null) {
            int[] n = counts.get(key);
            if (--n[0] == 0) {
                counts.remove(key);
            }
        }
    }

    private String counted(Hit h) {
        if (counts == null) {
            return null;
        }
        if (spec.type() == CorrelationType.VALUE_COUNT) {
            return h.value();
        }
        return spec.rules().contains(h.source()) ? h.source() : null;
    }
}
