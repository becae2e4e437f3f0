package io.fendersec.detect.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;

import io.fendersec.detect.correlate.GroupClock;
import io.fendersec.detect.correlate.GroupClockSerializer;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupHitsSerializer;
import io.fendersec.detect.correlate.GroupState;
import io.fendersec.detect.correlate.GroupStateSerializer;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.correlate.KeyStateSerializer;

/**
 * A correlation group's keyed state, laid out for RocksDB as well as the heap (issue 26): the hits
 * waiting for the watermark in a map by event time, each rule's window and episodes in a map by
 * rule id, and the group's {@link GroupClock} on its own. A hit that waits writes one small map
 * entry and the clock, instead of reading and rewriting the group's every waiting hit and window
 * (what one {@link GroupState} value cost per hit: on RocksDB a busy group's whole state was
 * deserialized and serialized again for each of its hits). Processing reads and writes only the
 * rules a hit counts for.
 *
 * <p>Savepoints of earlier releases hold the group as one {@link GroupState} under
 * {@value #LEGACY}: a group found there on first access (no clock yet) is moved into the new
 * states and the old value cleared. Its timer stays valid: the clock is computed from the old
 * value exactly as the old code computed the group's timer.
 *
 * <p>Methods act on the current key's state (the caller's group).
 */
final class GroupStore {
    /** The name of the one-value state of earlier releases (and its serializer, read on restore). */
    static final String LEGACY = "correlation-groups";

    static ValueStateDescriptor<GroupState> legacyDescriptor() {
        return new ValueStateDescriptor<>(LEGACY, GroupStateSerializer.INSTANCE);
    }

    static MapStateDescriptor<Long, List<GroupHits>> waitingDescriptor() {
        return new MapStateDescriptor<>("correlation-waiting", LongSerializer.INSTANCE,
                new ListSerializer<>(GroupHitsSerializer.INSTANCE));
    }

    static MapStateDescriptor<String, KeyState> rulesDescriptor() {
        return new MapStateDescriptor<>("correlation-rules", StringSerializer.INSTANCE, KeyStateSerializer.INSTANCE);
    }

    static ValueStateDescriptor<GroupClock> clockDescriptor() {
        return new ValueStateDescriptor<>("correlation-clock", GroupClockSerializer.INSTANCE);
    }

    /** How a group's state was made; the clock of a migrated group needs the rules' retention. */
    interface Retention {
        /** The cleanup time of {@code rule}'s state in a group ({@link GroupClock#NONE}: kept for ever or empty). */
        long cleanup(String rule, KeyState state);
    }

    private final ValueState<GroupState> legacy;
    private final MapState<Long, List<GroupHits>> waiting;
    private final MapState<String, KeyState> rules;
    private final ValueState<GroupClock> clock;

    GroupStore(ValueState<GroupState> legacy, MapState<Long, List<GroupHits>> waiting,
               MapState<String, KeyState> rules, ValueState<GroupClock> clock) {
        this.legacy = legacy;
        this.waiting = waiting;
        this.rules = rules;
        this.clock = clock;
    }

    static GroupStore of(RuntimeContext ctx) {
        return new GroupStore(ctx.getState(legacyDescriptor()), ctx.getMapState(waitingDescriptor()),
                ctx.getMapState(rulesDescriptor()), ctx.getState(clockDescriptor()));
    }

    /** The group's clock; null when it has none (no state, or state of an earlier release: {@link #migrate}). */
    GroupClock clock() throws Exception {
        return clock.value();
    }

    /**
     * Moves what a savepoint of an earlier release holds for the group (one {@link GroupState}) into
     * the new states and returns its clock; {@link GroupClock#EMPTY} when there is nothing.
     */
    GroupClock migrate(Retention retention) throws Exception {
        GroupState old = legacy.value();
        return old == null ? GroupClock.EMPTY : migrate(old, retention);
    }

    private GroupClock migrate(GroupState old, Retention retention) throws Exception {
        GroupClock c = GroupClock.EMPTY;
        for (GroupHits g : old.pending()) {
            List<GroupHits> same = waiting.get(g.time());
            List<GroupHits> l = same == null ? new ArrayList<>(1) : new ArrayList<>(same);
            l.add(g);
            waiting.put(g.time(), l);
            c = c.waiting(g.time());
        }
        for (Map.Entry<String, KeyState> e : old.rules().entrySet()) {
            rules.put(e.getKey(), e.getValue());
            c = c.keeping(retention.cleanup(e.getKey(), e.getValue()));
        }
        legacy.clear();
        setClock(c);
        return c;
    }

    /** Stores the clock; an empty one clears the group (no waiting hit and no rule state is left). */
    void setClock(GroupClock c) throws Exception {
        if (c.isEmpty()) {
            clear();
        } else {
            clock.update(c);
        }
    }

    void clear() {
        legacy.clear();
        waiting.clear();
        rules.clear();
        clock.clear();
    }

    /** Holds {@code g} until the watermark passes it: one map entry (its time) read and written. */
    void hold(GroupHits g) throws Exception {
        List<GroupHits> same = waiting.get(g.time());
        List<GroupHits> l;
        if (same == null) {
            l = List.of(g);
        } else {
            // a new list: the heap backend may share the old one with a snapshot in progress
            l = new ArrayList<>(same.size() + 1);
            l.addAll(same);
            l.add(g);
        }
        waiting.put(g.time(), l);
    }

    /** What {@link #release} returns: the hits due and the earliest time still waiting. */
    record Released(List<GroupHits> hits, long firstWaiting) {}

    /** Removes the waiting hits at or before {@code watermark}; their order is the caller's to make. */
    Released release(long watermark) throws Exception {
        List<GroupHits> due = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long first = GroupClock.NONE;
        for (Map.Entry<Long, List<GroupHits>> e : waiting.entries()) {
            long t = e.getKey();
            if (t <= watermark) {
                due.addAll(e.getValue());
                times.add(t);
            } else if (first == GroupClock.NONE || t < first) {
                first = t;
            }
        }
        for (Long t : times) {
            waiting.remove(t);
        }
        return new Released(due, first);
    }

    /** The state of {@code rule} here, or null. */
    KeyState rule(String rule) throws Exception {
        return rules.get(rule);
    }

    void putRule(String rule, KeyState state) throws Exception {
        rules.put(rule, state);
    }

    void removeRule(String rule) throws Exception {
        rules.remove(rule);
    }

    /** Every rule's state here (for a full prune); removing through the iterator drops the rule. */
    Iterator<Map.Entry<String, KeyState>> rules() throws Exception {
        return rules.iterator();
    }

    /** Whether the group keeps anything for {@code rule}: its state or a waiting hit for it. */
    boolean holds(String rule) throws Exception {
        if (rules.contains(rule)) {
            return true;
        }
        for (List<GroupHits> l : waiting.values()) {
            for (GroupHits g : l) {
                for (GroupHits.Target t : g.targets()) {
                    if (t.target().equals(rule)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Drops what the group keeps for {@code dropped} rules (their windows, episodes and waiting
     * hits) and returns its clock recomputed from what is left, exactly.
     */
    GroupClock forget(Set<String> dropped, Retention retention) throws Exception {
        for (String r : dropped) {
            rules.remove(r);
        }
        return dropWaiting(dropped).withCleanup(cleanup(retention));
    }

    /** Drops the waiting hits' targets among {@code dropped}; returns a clock with only the first waiting time set. */
    GroupClock dropWaiting(Set<String> dropped) throws Exception {
        long first = GroupClock.NONE;
        List<Long> emptied = new ArrayList<>();
        for (Iterator<Map.Entry<Long, List<GroupHits>>> it = waiting.iterator(); it.hasNext(); ) {
            Map.Entry<Long, List<GroupHits>> e = it.next();
            List<GroupHits> kept = new ArrayList<>(e.getValue().size());
            boolean changed = false;
            for (GroupHits g : e.getValue()) {
                if (g.targets().stream().noneMatch(t -> dropped.contains(t.target()))) {
                    kept.add(g);
                    continue;
                }
                changed = true;
                List<GroupHits.Target> targets = g.targets().stream()
                        .filter(t -> !dropped.contains(t.target())).toList();
                if (!targets.isEmpty()) {
                    kept.add(new GroupHits(g.stage(), g.app(), g.group(), g.time(), g.device(), g.evidence(),
                            g.logs(), targets));
                }
            }
            if (kept.isEmpty()) {
                emptied.add(e.getKey());
                continue;
            }
            if (changed) {
                waiting.put(e.getKey(), kept);
            }
            if (first == GroupClock.NONE || e.getKey() < first) {
                first = e.getKey();
            }
        }
        for (Long t : emptied) {
            waiting.remove(t);
        }
        return new GroupClock(first, GroupClock.NONE);
    }

    /** The cleanup time over every rule state here, read in full. */
    long cleanup(Retention retention) throws Exception {
        long c = GroupClock.NONE;
        for (Map.Entry<String, KeyState> e : rules.entries()) {
            long r = retention.cleanup(e.getKey(), e.getValue());
            if (r != GroupClock.NONE && (c == GroupClock.NONE || r > c)) {
                c = r;
            }
        }
        return c;
    }

    /**
     * For a change of rules while the job runs ({@link LiveCorrelateFunction}): drops {@code dropped}
     * rules from every group of the state {@code name} is one of, the current key being the group.
     * The clock is left as it was: it may then be early or late, never unsafe, and is recomputed
     * when its timer fires.
     */
    void forgetForAllKeys(Set<String> dropped) throws Exception {
        for (String r : dropped) {
            rules.remove(r);
        }
        dropWaiting(dropped);
        GroupState old = legacy.value();
        if (old != null) {
            old.rules().keySet().removeAll(dropped);
            old.dropTargets(dropped);
            if (old.isEmpty()) {
                legacy.clear();
            } else {
                legacy.update(old);
            }
        }
    }
}
