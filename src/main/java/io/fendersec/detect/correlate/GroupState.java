package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything kept for one group (app and group-by values): what waits for the watermark, and each
 * rule's {@link KeyState} (window and episodes). Mutable; the Flink operator stores it in keyed
 * state through {@link GroupStateSerializer}.
 */
public final class GroupState {
    final List<GroupHits> pending;
    /** By rule id; sorted so that serialized state does not depend on arrival order. */
    final Map<String, KeyState> rules;

    public GroupState() {
        this(new ArrayList<>(), new TreeMap<>());
    }

    GroupState(List<GroupHits> pending, Map<String, KeyState> rules) {
        this.pending = new ArrayList<>(pending);
        this.rules = new TreeMap<>(rules);
    }

    /** Holds hits until the watermark passes them, so that they are processed in event-time order. */
    public void hold(GroupHits g) {
        if (pending.isEmpty() || GroupHits.ORDER.compare(pending.get(pending.size() - 1), g) <= 0) {
            pending.add(g); // the usual case: arrivals in order
            return;
        }
        int k = Collections.binarySearch(pending, g, GroupHits.ORDER);
        pending.add(k >= 0 ? k : -k - 1, g);
    }

    /** Removes and returns the held hits at or before {@code watermark}, in event-time order. */
    public List<GroupHits> release(long watermark) {
        int n = 0;
        while (n < pending.size() && pending.get(n).time() <= watermark) {
            n++;
        }
        List<GroupHits> out = new ArrayList<>(pending.subList(0, n));
        pending.subList(0, n).clear();
        return out;
    }

    /**
     * Removes the waiting hits' targets among {@code rules} (rules that changed or went while the
     * job ran: what was matched for them does not count under their new definition).
     */
    public void dropTargets(java.util.Set<String> rules) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            GroupHits g = pending.get(i);
            if (g.targets().stream().noneMatch(t -> rules.contains(t.target()))) {
                continue;
            }
            List<GroupHits.Target> kept = g.targets().stream().filter(t -> !rules.contains(t.target())).toList();
            if (kept.isEmpty()) {
                pending.remove(i);
            } else {
                pending.set(i, new GroupHits(g.stage(), g.app(), g.group(), g.time(), g.device(), g.evidence(), kept));
            }
        }
    }

    public List<GroupHits> pending() {
        return Collections.unmodifiableList(pending);
    }

    /** The state of one rule in this group, created empty when missing. */
    public KeyState rule(String id) {
        return rules.computeIfAbsent(id, k -> new KeyState());
    }

    /** The rules with state here, by id (modifiable: the caller drops the ones that emptied). */
    public Map<String, KeyState> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return pending.isEmpty() && rules.isEmpty();
    }
}
