package io.fendersec.source.frontier;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The enumerator's view of the handed-out slices of a bounded run: which reader holds each one and
 * how far it has got. Together with the oldest slice not handed out yet (the enumerator's own
 * queues) it gives the {@link ReadFrontier}. Used on the coordinator thread only.
 *
 * <p>Nothing here is checkpointed, on purpose: after a restore the readers resume from their
 * checkpointed positions, which may be behind what they reported, so a checkpointed view would be
 * ahead of the logs read again. Instead every reader attempt reports in full as it starts, and no
 * frontier exists until every subtask of the current parallelism has (before that the watermark
 * simply does not move, as when every slice held it at its start).
 */
public final class FrontierTracker {

    private static final class Held {
        final int subtask;
        long floor;

        Held(int subtask, long floor) {
            this.subtask = subtask;
            this.floor = floor;
        }
    }

    private final Map<String, Held> held = new HashMap<>();
    private final Set<Integer> reported = new HashSet<>();

    /** A split of range start {@code from} (epoch millis) went to {@code subtask}. */
    public void assigned(String splitId, int subtask, long from) {
        held.put(splitId, new Held(subtask, from));
    }

    /** Splits that came back from a failed reader: the enumerator holds them again (at their start). */
    public void returned(Iterable<String> splitIds) {
        for (String id : splitIds) {
            held.remove(id);
        }
    }

    /**
     * A reader attempt registered: until it reports in full, what it holds is unknown (a restored
     * reader brings splits from its checkpoint), and so is the frontier.
     */
    public void registered(int subtask) {
        reported.remove(subtask);
        held.values().removeIf(h -> h.subtask == subtask);
    }

    /** Applies a reader's report. */
    public void onProgress(int subtask, ReadProgress progress) {
        if (progress.isFull()) {
            held.values().removeIf(h -> h.subtask == subtask);
            progress.floors().forEach((id, floor) -> held.put(id, new Held(subtask, floor)));
            reported.add(subtask);
            return;
        }
        for (Map.Entry<String, Long> e : progress.floors().entrySet()) {
            Held h = held.get(e.getKey());
            // Only this reader's own splits, and only forward: a report still in flight for a split
            // that went back to the enumerator changes nothing.
            if (h != null && h.subtask == subtask && e.getValue() > h.floor) {
                h.floor = e.getValue();
            }
        }
        for (String id : progress.finished()) {
            Held h = held.get(id);
            if (h != null && h.subtask == subtask) {
                held.remove(id);
            }
        }
    }

    /** Whether every subtask {@code 0..parallelism-1} has reported in full since it registered. */
    public boolean allReported(int parallelism) {
        for (int i = 0; i < parallelism; i++) {
            if (!reported.contains(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The oldest point any reader may still read, given {@code oldestNotHandedOut} (the start of the
     * oldest slice the enumerator still holds, {@link Long#MAX_VALUE} when none), or
     * {@link Long#MIN_VALUE} while some reader has not reported yet.
     */
    public long frontier(int parallelism, long oldestNotHandedOut) {
        if (!allReported(parallelism)) {
            return Long.MIN_VALUE;
        }
        long min = oldestNotHandedOut;
        for (Iterator<Held> it = held.values().iterator(); it.hasNext();) {
            min = Math.min(min, it.next().floor);
        }
        return min;
    }

    /** Whether {@code subtask} holds a split not reported finished. */
    public boolean holdsAny(int subtask) {
        for (Held h : held.values()) {
            if (h.subtask == subtask) {
                return true;
            }
        }
        return false;
    }

    /** Handed-out splits not reported finished yet (for tests and logs). */
    public int heldSplits() {
        return held.size();
    }
}
