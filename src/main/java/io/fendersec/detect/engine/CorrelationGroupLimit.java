package io.fendersec.detect.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups one keyed subtask has state for, per rule, stalest first: the cap that an attacker
 * who makes up a new group per log cannot push past ({@code rules.max-groups}). A group counts
 * for a rule from its first hit for that rule; touching it again makes it the freshest. Past the
 * cap the stalest group is due for eviction ({@link #takeDue()}); the operator, which alone can
 * make another group's state current, then drops that rule's state there.
 *
 * <p>Groups whose state expired on its own stay listed until they are the stalest: they are
 * evicted first, with nothing left to drop (not counted as an eviction). So the list is never
 * longer than the cap, and a rule never has more than the cap of groups with state, which is the
 * bound that matters. Operator memory, not state: after a restore, the groups restored count from
 * their next hit on (until then at most the cap of them, as written, may be there as well).
 */
final class CorrelationGroupLimit {
    /** A group (by its state key) whose state for {@code rule} is to be dropped. */
    record Eviction(String rule, String key) {}

    private final int max;
    /** By rule: the state keys in access order, the stalest first. */
    private final Map<String, LinkedHashMap<String, Boolean>> groups = new HashMap<>();
    private final List<Eviction> due = new ArrayList<>();

    CorrelationGroupLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-groups must be at least 1");
        }
        this.max = max;
    }

    /** {@code key} got a hit for {@code rule}; may make the stalest of the rule's groups due. */
    void touch(String rule, String key) {
        LinkedHashMap<String, Boolean> g = groups.computeIfAbsent(rule, r -> new LinkedHashMap<>(16, 0.75f, true));
        if (g.put(key, Boolean.TRUE) == null && g.size() > max) {
            Iterator<String> stalest = g.keySet().iterator();
            due.add(new Eviction(rule, stalest.next()));
            stalest.remove();
        }
    }

    /** The evictions decided since the last call, in order. */
    List<Eviction> takeDue() {
        if (due.isEmpty()) {
            return List.of();
        }
        List<Eviction> out = List.copyOf(due);
        due.clear();
        return out;
    }

    /** How many groups are listed for {@code rule} (at most the cap). */
    int size(String rule) {
        LinkedHashMap<String, Boolean> g = groups.get(rule);
        return g == null ? 0 : g.size();
    }
}
