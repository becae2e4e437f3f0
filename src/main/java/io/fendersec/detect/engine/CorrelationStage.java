package io.fendersec.detect.engine;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupState;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.model.Alert;

/**
 * What one keyed correlation stage does with a group's state, shared by the operator of a job with
 * fixed rules ({@link CorrelateFunction}) and the one whose rules change while it runs
 * ({@link LiveCorrelateFunction}): hold hits until the watermark, process them in event-time
 * order, prune, schedule cleanup. The rules can be swapped ({@link #use}); a hit for a rule the
 * rules in force no longer have (one in flight when they changed) is dropped.
 *
 * <p>At most {@link DetectionSettings#maxGroups()} groups per rule keep state here
 * ({@link CorrelationGroupLimit}); past it the operator drops the stalest group's state for that
 * rule ({@link #evictStalest}), counts it, and raises one {@value #PRESSURE_RULE} alert per rule
 * and hour, so that an attack which floods keys is itself reported instead of exhausting the heap.
 */
final class CorrelationStage implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The rule id (and kind) of the alert that reports evictions. */
    static final String PRESSURE_RULE = "state-pressure";
    private static final long HOUR = 3_600_000L;
    /** {@link #deadline} of a group that needs no timer. */
    private static final long NO_TIMER = Long.MIN_VALUE;

    /**
     * What the operator offers for evictions: making another group's state current. A function sees
     * only the current key's state; the operators ({@link CorrelateOperator})
     * switches keys for it.
     */
    interface Groups {
        Object current();

        void makeCurrent(Object key);
    }

    private RuleSet rules;
    private CorrelationProcessor processor;
    private final DetectionSettings settings;
    /**
     * Whether groups are tracked for {@code max-groups}: only where an operator evicts them
     * ({@link CorrelateOperator}). Tracking without evicting keeps a growing list of evictions due.
     */
    private final boolean limitGroups;
    private transient CorrelationGroupLimit limit;
    /** By rule: the last hour (epoch hour) a pressure alert was raised for it here. */
    private transient Map<String, Long> pressureHour;

    CorrelationStage(RuleSet rules, DetectionSettings settings) {
        this(rules, settings, true);
    }

    /**
     * @param limitGroups false for a stage whose operator cannot evict (the broadcast operator of a
     *     job with watched rules): there {@code max-groups} is not enforced (docs/rules.md)
     */
    CorrelationStage(RuleSet rules, DetectionSettings settings, boolean limitGroups) {
        this.settings = settings;
        this.limitGroups = limitGroups;
        use(rules);
    }

    /** Whether this stage tracks groups for {@code max-groups} (for tests). */
    boolean limitsGroups() {
        return limitGroups;
    }

    void use(RuleSet rules) {
        this.rules = rules;
        this.processor = new CorrelationProcessor(rules, settings);
    }

    RuleSet rules() {
        return rules;
    }

    void onHits(GroupHits hits, ValueState<GroupState> state, TimerService timers, Collector<Alert> out,
                Consumer<GroupHits> chained, Counter lateHits) throws IOException {
        GroupState st = state.value();
        if (st == null) {
            st = new GroupState();
        }
        long wm = timers.currentWatermark();
        long before = deadline(st, wm);
        if (hits.time() > wm) {
            st.hold(hits);
        } else {
            lateHits.inc(hits.targets().size());
            CorrelationProcessor.Output o = output(out, chained);
            process(st, List.of(hits), o);
            for (Hit h : hits.hits()) {
                if (rules.rule(h.target()) != null) {
                    processor.closeLate(st.rule(h.target()), h, wm, o);
                }
            }
        }
        moveTimer(timers, before, deadline(st, wm));
        state.update(st);
        String key = hits.key();
        if (limitGroups) {
            for (GroupHits.Target t : hits.targets()) {
                limit().touch(t.target(), key);
            }
        }
    }

    private CorrelationGroupLimit limit() {
        if (limit == null) {
            limit = new CorrelationGroupLimit(settings.maxGroups());
            pressureHour = new HashMap<>();
        }
        return limit;
    }

    /**
     * Drops, for the rules over {@code max-groups} after {@code cause}, the stalest group's state
     * (its window, episodes and waiting hits for that rule), counts each group that had some, and
     * raises one {@value #PRESSURE_RULE} alert per rule and hour of {@code cause}'s event time. The
     * operator calls this after {@link #onHits}, with {@code cause}'s group current; it is current
     * again on return.
     */
    void evictStalest(GroupHits cause, Groups groups, ValueState<GroupState> state, TimerService timers,
                      Collector<Alert> out, Counter evicted) throws IOException {
        List<CorrelationGroupLimit.Eviction> due = limit().takeDue();
        if (due.isEmpty()) {
            return;
        }
        Object current = groups.current();
        try {
            for (CorrelationGroupLimit.Eviction e : due) {
                groups.makeCurrent(e.key());
                GroupState st = state.value();
                if (st == null || !holds(st, e.rule())) {
                    continue; // expired on its own meanwhile: nothing to drop
                }
                long wm = timers.currentWatermark();
                long before = deadline(st, wm);
                GroupState kept = forget(st, Set.of(e.rule()));
                // An evicted group keeps no timer it no longer needs: with it gone, an attacker's
                // made-up groups would still cost a timer each.
                moveTimer(timers, before, deadline(kept, wm));
                if (kept == null) {
                    state.clear();
                } else {
                    state.update(kept);
                }
                evicted.inc();
                reportPressure(e.rule(), cause, out);
            }
        } finally {
            groups.makeCurrent(current);
        }
    }

    private static boolean holds(GroupState st, String rule) {
        if (st.rules().containsKey(rule)) {
            return true;
        }
        for (GroupHits g : st.pending()) {
            for (GroupHits.Target t : g.targets()) {
                if (t.target().equals(rule)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void reportPressure(String rule, GroupHits cause, Collector<Alert> out) {
        long hour = Math.floorDiv(cause.time(), HOUR);
        Long last = pressureHour.get(rule);
        if (last != null && last >= hour) {
            return; // one alert per rule and hour; the groupsEvicted metric counts every eviction
        }
        pressureHour.put(rule, hour);
        Map<String, String> group = Map.of("rule", rule);
        long start = hour * HOUR;
        out.collect(Alert.builder()
                .alertId(Alert.idFor(PRESSURE_RULE, null, group, start))
                .ruleId(PRESSURE_RULE)
                .kind(PRESSURE_RULE)
                .title("Correlation state full: rule " + rule + " dropped its stalest groups (rules.max-groups "
                        + settings.maxGroups() + " per subtask); an attack may be flooding keys")
                .severity("medium")
                .app(cause.app())
                .group(group)
                .window(start, start + HOUR - 1)
                .seen(cause.time(), cause.time())
                .count(1)
                .tags(List.of("fendersec.health"))
                .build());
    }

    void onTimer(long firing, ValueState<GroupState> state, TimerService timers, Collector<Alert> out,
                 Consumer<GroupHits> chained) throws IOException {
        GroupState st = state.value();
        if (st == null) {
            return;
        }
        // Usually the timer firing is the group's one timer; one left over (from a savepoint of an
        // earlier release, or rules that changed retention) fires as well and moves the real one.
        // The deadline as it was computed when this timer was set: no window closed between that
        // watermark and this timer, so the windows still to close are those after `firing - 1`.
        long before = deadline(st, firing - 1);
        if (before == firing) {
            before = NO_TIMER;
        }
        long wm = timers.currentWatermark();
        CorrelationProcessor.Output o = output(out, chained);
        process(st, st.release(wm), o);
        // Windows judged when they close (temporal conditions with not): those that closed since
        // this timer was due. Every earlier one was judged by an earlier timer (the deadline is at
        // the next close), so each is judged once.
        for (Map.Entry<String, KeyState> e : st.rules().entrySet()) {
            if (rules.rule(e.getKey()) != null) {
                processor.closeWindows(e.getValue(), e.getKey(), firing, wm, o);
            }
        }
        for (Iterator<Map.Entry<String, KeyState>> it = st.rules().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, KeyState> e = it.next();
            if (rules.rule(e.getKey()) == null || processor.prune(e.getValue(), e.getKey(), wm)) {
                it.remove();
            }
        }
        if (st.isEmpty()) {
            moveTimer(timers, before, NO_TIMER);
            state.clear();
            return;
        }
        moveTimer(timers, before, deadline(st, wm));
        state.update(st);
    }

    /**
     * Drops what a group keeps for {@code restarted} rules (their windows, episodes and waiting
     * hits): they start empty. Returns the group's state, or null when nothing is left.
     */
    static GroupState forget(GroupState st, Set<String> restarted) {
        if (st == null || restarted.isEmpty()) {
            return st;
        }
        st.rules().keySet().removeAll(restarted);
        st.dropTargets(restarted);
        return st.isEmpty() ? null : st;
    }

    /** The hits of {@code batch}, each to its rule's state, in {@link Hit#ORDER} as the rules see them. */
    private void process(GroupState st, List<GroupHits> batch, CorrelationProcessor.Output o) {
        List<Hit> hits = new ArrayList<>();
        for (GroupHits g : batch) {
            hits.addAll(g.hits());
        }
        hits.sort(Hit.ORDER);
        for (Hit h : hits) {
            if (rules.rule(h.target()) == null) {
                continue; // matched under rules that changed while it was on its way here
            }
            processor.process(st.rule(h.target()), h, o);
        }
    }

    private CorrelationProcessor.Output output(Collector<Alert> out, Consumer<GroupHits> chained) {
        return new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert alert) {
                out.collect(alert);
            }

            @Override
            public void chained(Hit hit) {
                chained.accept(GroupHits.of(rules.hitStage(hit.target()), hit));
            }
        };
    }

    /**
     * The one event-time timer a group has (issue 26: timers bounded by groups, not by hits): at
     * its earliest waiting hit, at the next close of a window judged when it closes (a temporal
     * condition with not, after {@code watermark}), or when the last rule's state here may be
     * dropped, whichever is first; {@link #NO_TIMER} for none. A function of the stored state, so nothing extra is
     * stored: every change of a group's state moves its timer from the deadline before to the one
     * after ({@link #moveTimer}). One timer at the earliest waiting hit releases every hit the
     * watermark has passed at once, instead of one timer (and one state access) per hit.
     */
    private long deadline(GroupState st, long watermark) {
        if (st == null || st.isEmpty()) {
            return NO_TIMER;
        }
        long cleanup = NO_TIMER;
        long close = Long.MAX_VALUE;
        for (Map.Entry<String, KeyState> e : st.rules().entrySet()) {
            long latest = e.getValue().latestTime();
            long retention = processor.retention(e.getKey());
            cleanup = Math.max(cleanup, latest < Long.MAX_VALUE - retention - 1 ? latest + retention + 1 : Long.MAX_VALUE);
            close = Math.min(close, processor.nextClose(e.getValue(), e.getKey(), watermark));
        }
        if (cleanup == Long.MAX_VALUE) {
            cleanup = NO_TIMER; // kept for ever: no cleanup to schedule
        }
        if (close != Long.MAX_VALUE) {
            // a window judged when it closes (a temporal condition with not) closes before the cleanup
            cleanup = cleanup == NO_TIMER ? close : Math.min(cleanup, close);
        }
        if (st.pending().isEmpty()) {
            return cleanup;
        }
        long first = st.pending().get(0).time();
        return cleanup == NO_TIMER ? first : Math.min(first, cleanup);
    }

    /** Replaces the group's timer at {@code before} by one at {@code after} (the current key's). */
    private static void moveTimer(TimerService timers, long before, long after) {
        if (before == after) {
            return;
        }
        if (before != NO_TIMER) {
            timers.deleteEventTimeTimer(before);
        }
        if (after != NO_TIMER) {
            timers.registerEventTimeTimer(after);
        }
    }
}
