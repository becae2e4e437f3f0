package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.fendersec.model.EvidenceLog;

/**
 * A window where the condition held: the span {@code [end - timespan, end]} ending at a matching
 * event, with what it measured and the evidence it holds.
 *
 * <p>A value (equality over all fields), but the evidence of a span is only collected when first
 * asked for: most matches of a busy group extend an episode whose evidence is already full, and
 * collecting it (distinct uuids, in order, up to the cap) was the costliest part of a match.
 * Like the window that makes it, a match belongs to one thread.
 */
public final class WindowMatch {
    private final long windowStart;
    private final long end;
    private final long firstSeen;
    private final long lastSeen;
    private final long count;
    private final String device;
    private final boolean mixedDevices;
    /** The span's events until its evidence is collected, then null. */
    private Hit[] span;
    private final int evidenceCap;
    private List<String> evidence;
    private List<EvidenceLog> logs;

    public WindowMatch(long windowStart, long end, long firstSeen, long lastSeen, long count,
                       List<String> evidence, String device, boolean mixedDevices) {
        this(windowStart, end, firstSeen, lastSeen, count, evidence, List.of(), device, mixedDevices);
    }

    /** @param logs the evidence logs' text, when a sink asked for it, else empty */
    public WindowMatch(long windowStart, long end, long firstSeen, long lastSeen, long count,
                       List<String> evidence, List<EvidenceLog> logs, String device, boolean mixedDevices) {
        this(windowStart, end, firstSeen, lastSeen, count, null, 0, List.copyOf(evidence), device, mixedDevices);
        this.logs = List.copyOf(logs);
    }

    private WindowMatch(long windowStart, long end, long firstSeen, long lastSeen, long count, Hit[] span,
                        int evidenceCap, List<String> evidence, String device, boolean mixedDevices) {
        this.windowStart = windowStart;
        this.end = end;
        this.firstSeen = firstSeen;
        this.lastSeen = lastSeen;
        this.count = count;
        this.span = span;
        this.evidenceCap = evidenceCap;
        this.evidence = evidence;
        this.device = device;
        this.mixedDevices = mixedDevices;
    }

    /** A match over the events {@code span} (a copy the caller gives up), whose evidence is collected on demand. */
    static WindowMatch ofSpan(long windowStart, long end, long count, Hit[] span, int evidenceCap, String device,
                              boolean mixedDevices) {
        return new WindowMatch(windowStart, end, span[0].time(), end, count, span, evidenceCap, null, device,
                mixedDevices);
    }

    /**
     * A match over a whole window {@code [windowStart, end]} judged when it closed (an absence, see
     * {@link TemporalCondition}): last seen is its last event, not its end.
     */
    static WindowMatch ofWindow(long windowStart, long end, long count, Hit[] shown, int evidenceCap, String device,
                                boolean mixedDevices) {
        long first = shown.length == 0 ? windowStart : shown[0].time();
        long last = shown.length == 0 ? windowStart : shown[shown.length - 1].time();
        return new WindowMatch(windowStart, end, first, last, count, shown, evidenceCap, null, device, mixedDevices);
    }

    public long windowStart() {
        return windowStart;
    }

    public long end() {
        return end;
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public long count() {
        return count;
    }

    /** The distinct log uuids of the span's events, in event order, at most the evidence cap. */
    public List<String> evidence() {
        if (evidence == null) {
            evidence = collect(span, evidenceCap);
            logs = collectLogs(span, evidence);
            span = null;
        }
        return evidence;
    }

    /** The evidence logs of {@link #evidence()} that the span's hits carry (none unless a sink asked for them). */
    public List<EvidenceLog> logs() {
        evidence();
        return logs;
    }

    /** How many hits this match keeps until its evidence is collected (for tests of its memory). */
    int heldHits() {
        return span == null ? 0 : span.length;
    }

    /** The one device behind the span's events, null when none or several. */
    public String device() {
        return device;
    }

    public boolean mixedDevices() {
        return mixedDevices;
    }

    private static List<String> collect(Hit[] span, int cap) {
        // A set, not a list scan: a span may hold hundreds of uuids. Sized for what it can take, so
        // that it does not grow by rehashing.
        Set<String> ev = new LinkedHashSet<>(Math.min(cap, span.length) * 4 / 3 + 1);
        for (Hit h : span) {
            for (String u : h.evidence()) {
                if (ev.size() >= cap) {
                    return List.copyOf(ev);
                }
                ev.add(u);
            }
        }
        return List.copyOf(ev);
    }

    /** The logs the span carries for {@code evidence}'s uuids, in its order, one per uuid. */
    private static List<EvidenceLog> collectLogs(Hit[] span, List<String> evidence) {
        List<EvidenceLog> out = null;
        Set<String> taken = null;
        for (Hit h : span) {
            for (EvidenceLog l : h.logs()) {
                if (out == null) {
                    out = new ArrayList<>();
                    taken = new HashSet<>();
                }
                if (evidence.contains(l.uuid()) && taken.add(l.uuid())) {
                    out.add(l);
                }
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WindowMatch)) {
            return false;
        }
        WindowMatch m = (WindowMatch) o;
        return windowStart == m.windowStart && end == m.end && firstSeen == m.firstSeen && lastSeen == m.lastSeen
                && count == m.count && mixedDevices == m.mixedDevices && Objects.equals(device, m.device)
                && evidence().equals(m.evidence()) && logs().equals(m.logs());
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, end, firstSeen, lastSeen, count, evidence(), device, mixedDevices);
    }

    @Override
    public String toString() {
        return "WindowMatch[windowStart=" + windowStart + ", end=" + end + ", firstSeen=" + firstSeen + ", lastSeen="
                + lastSeen + ", count=" + count + ", evidence=" + evidence() + ", device=" + device
                + ", mixedDevices=" + mixedDevices + "]";
    }
}
