package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything kept for one (rule, app, group) key: hits waiting for the watermark, the sliding
 * window's events, and the open episodes. Mutable; the Flink operator stores it in keyed state
 * through {@link KeyStateSerializer}.
 */
public final class KeyState {
    final List<Hit> pending;
    final SlidingWindow window;
    final List<Episode> episodes;

    public KeyState() {
        this(new ArrayList<>(), new SlidingWindow(), new ArrayList<>());
    }

    KeyState(List<Hit> pending, SlidingWindow window, List<Episode> episodes) {
        this.pending = new ArrayList<>(pending);
        this.window = window;
        this.episodes = new ArrayList<>(episodes);
    }

    /** Holds a hit until the watermark passes it, so that hits are processed in event-time order. */
    public void hold(Hit h) {
        int n = pending.size();
        if (n == 0 || Hit.ORDER.compare(pending.get(n - 1), h) < 0) {
            pending.add(h); // in order (the usual case): after the last, no search
            return;
        }
        int k = Collections.binarySearch(pending, h, Hit.ORDER);
        pending.add(k >= 0 ? k : -k - 1, h);
    }

    /** Removes and returns the held hits at or before {@code watermark}, in event-time order. */
    public List<Hit> release(long watermark) {
        int n = 0;
        while (n < pending.size() && pending.get(n).time() <= watermark) {
            n++;
        }
        List<Hit> out = new ArrayList<>(pending.subList(0, n));
        pending.subList(0, n).clear();
        return out;
    }

    public List<Hit> pending() {
        return Collections.unmodifiableList(pending);
    }

    public SlidingWindow window() {
        return window;
    }

    public List<Episode> episodes() {
        return Collections.unmodifiableList(episodes);
    }

    public void addEpisode(Episode e) {
        episodes.add(e);
    }

    public void replaceEpisode(int index, Episode e) {
        episodes.set(index, e);
    }

    public void removeEpisodesIf(java.util.function.Predicate<Episode> p) {
        episodes.removeIf(p);
    }

    public boolean isEmpty() {
        return pending.isEmpty() && window.isEmpty() && episodes.isEmpty();
    }

    /** The latest time anything here refers to, for the cleanup timer. */
    public long latestTime() {
        // Held hits and window events are in time order: their last is their latest.
        long t = Long.MIN_VALUE;
        if (!pending.isEmpty()) {
            t = pending.get(pending.size() - 1).time();
        }
        List<Hit> events = window.events();
        if (!events.isEmpty()) {
            t = Math.max(t, events.get(events.size() - 1).time());
        }
        for (Episode e : episodes) {
            t = Math.max(t, e.lastMatch());
        }
        return t;
    }
}
