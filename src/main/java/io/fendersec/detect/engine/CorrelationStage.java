package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupClock;
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
final class CorrelationStage implements Serializable, GroupStore.Retention {
    private static final long serialVersionUID = 1L;

    /** The rule id (and kind) of the alert that reports evictions. */
    static final String PRESSURE_RULE = "state-pressure";
    private static final long HOUR = 3_600_000L;
    /** {@link #deadline} of a group that needs no timer. */
    private static final long NO_TIMER = Long.MIN_VALUE;

    /**
     * What the operator offers for evictions: making another group's state current. A function sees
     * only the current key's state; the operators ({@link CorrelateOperator}, {@link LiveCorrelateOperator})
     * switches keys for it.
     */
    interface Groups {
        Object current();

        void makeCurrent(Object key);
    }

    private RuleSet rules;
    private CorrelationProcessor processor;
    private final DetectionSettings settings;
    private transient CorrelationGroupLimit limit;
    /** By rule: the last hour (epoch hour) a pressure alert was raised for it here. */
    private transient Map<String, Long> pressureHour;

    CorrelationStage(RuleSet rules, DetectionSettings settings) {
        this.settings = settings;
        use(rules);
    }

    void use(RuleSet rules) {
        this.rules = rules;
        this.processor = new CorrelationProcessor(rules, settings);
    }

    RuleSet rules() {
        return rules;
    }

    void onHits(GroupHits hits, GroupStore st, TimerService timers, Collector<Alert> out,
                Consumer<GroupHits> chained, Counter lateHits) throws Exception {
        GroupClock clock = clockOf(st, timers);
        long before = clock.deadline();
        long wm = timers.currentWatermark();
        if (hits.time() > wm) {
            st.hold(hits);
            clock = clock.waiting(hits.time());
        } else {
            lateHits.inc(hits.targets().size());
            CorrelationProcessor.Output o = output(out, chained);
            Map<String, KeyState> touched = process(st, List.of(hits), o);
            for (Hit h : hits.hits()) {
                KeyState ks = touched.get(h.target());
                if (ks != null) {
                    processor.closeLate(ks, h, wm, o); // its window closed already: no timer comes for it
                }
            }
            clock = withCloses(st, keep(st, clock, touched, NO_TIMER), touched, wm);
        }
        moveTimer(timers, before, clock.deadline());
        st.setClock(clock);
        String key = hits.key();
        for (GroupHits.Target t : hits.targets()) {
            limit().touch(t.target(), key);
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
    void evictStalest(GroupHits cause, Groups groups, GroupStore st, TimerService timers,
                      Collector<Alert> out, Counter evicted) throws Exception {
        List<CorrelationGroupLimit.Eviction> due = limit().takeDue();
        if (due.isEmpty()) {
            return;
        }
        Object current = groups.current();
        try {
            for (CorrelationGroupLimit.Eviction e : due) {
                groups.makeCurrent(e.key());
                GroupClock clock = clockOf(st, timers);
                if (clock.isEmpty() || !st.holds(e.rule())) {
                    continue; // expired on its own meanwhile: nothing to drop
                }
                long before = clock.deadline();
                GroupClock kept = withCloses(st, st.forget(Set.of(e.rule()), this), Map.of(),
                        timers.currentWatermark());
                // An evicted group keeps no timer it no longer needs: with it gone, an attacker's
                // made-up groups would still cost a timer each.
                moveTimer(timers, before, kept.deadline());
                st.setClock(kept);
                evicted.inc();
                reportPressure(e.rule(), cause, out);
            }
        } finally {
            groups.makeCurrent(current);
        }
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

    void onTimer(long firing, GroupStore st, TimerService timers, Collector<Alert> out,
                 Consumer<GroupHits> chained) throws Exception {
        GroupClock clock = clockOf(st, timers);
        if (clock.isEmpty()) {
            return;
        }
        // Usually the timer firing is the group's one timer; one left over (from a savepoint of an
        // earlier release, or rules that changed retention) fires as well and moves the real one.
        // The stored clock is the deadline as it was set (temporal's `deadline(st, firing - 1)`):
        // it holds the next absence-window close as of then, so no window closed before `firing`
        // that an earlier timer did not judge.
        long before = clock.deadline();
        if (before == firing) {
            before = NO_TIMER;
        }
        long wm = timers.currentWatermark();
        GroupStore.Released released = st.release(wm);
        clock = clock.withFirstWaiting(released.firstWaiting());
        CorrelationProcessor.Output o = output(out, chained);
        Map<String, KeyState> touched = process(st, released.hits(), o);
        // Windows judged when they close (temporal conditions with not): those that closed since
        // this timer was due, judged before any pruning. Every earlier one was judged by an earlier
        // timer (the deadline is at the next close), so each is judged once.
        for (String rule : processor.judgedAtClose()) {
            KeyState ks = touched.containsKey(rule) ? touched.get(rule) : st.rule(rule);
            if (ks != null) {
                processor.closeWindows(ks, rule, firing, wm, o);
                touched.put(rule, ks); // an alert may have opened an episode: written back below
            }
        }
        if (clock.cleanup() != GroupClock.NONE && wm >= clock.cleanup()) {
            // The group's cleanup time: every rule is pruned, read in full; usually nothing is left.
            for (Map.Entry<String, KeyState> e : touched.entrySet()) {
                st.putRule(e.getKey(), e.getValue());
            }
            for (Iterator<Map.Entry<String, KeyState>> it = st.rules(); it.hasNext(); ) {
                Map.Entry<String, KeyState> e = it.next();
                if (rules.rule(e.getKey()) == null || processor.prune(e.getValue(), e.getKey(), wm)) {
                    it.remove();
                } else {
                    e.setValue(e.getValue()); // pruned in place: RocksDB keeps what is written back
                }
            }
            clock = clock.withCleanup(st.cleanup(this));
        } else {
            // Only the rules these hits touched are read, pruned and written: the others did not
            // change, and are pruned (dropped) at the group's cleanup time.
            clock = keep(st, clock, touched, wm);
        }
        clock = withCloses(st, clock, Map.of(), wm);
        moveTimer(timers, before, clock.deadline());
        st.setClock(clock);
    }

    /**
     * Stores {@code touched} rule states, pruned at {@code pruneAt} unless {@link #NO_TIMER} (dropping
     * those that emptied), and returns the
     * clock with their cleanup times; the group's cleanup only moves later here (exact again at
     * its cleanup time).
     */
    private GroupClock keep(GroupStore st, GroupClock clock, Map<String, KeyState> touched, long pruneAt)
            throws Exception {
        for (Map.Entry<String, KeyState> e : touched.entrySet()) {
            String rule = e.getKey();
            KeyState ks = e.getValue();
            if (pruneAt != NO_TIMER && processor.prune(ks, rule, pruneAt) || ks.isEmpty()) {
                st.removeRule(rule);
                continue;
            }
            st.putRule(rule, ks);
            clock = clock.keeping(cleanup(rule, ks));
        }
        return clock;
    }

    /**
     * The hits of {@code batch}, each to its rule's state, in {@link Hit#ORDER} as the rules see
     * them; returns the rule states they touched, each read once for the batch and written once by
     * the caller.
     */
    private Map<String, KeyState> process(GroupStore st, List<GroupHits> batch, CorrelationProcessor.Output o)
            throws Exception {
        Map<String, KeyState> touched = new HashMap<>(4);
        if (batch.isEmpty()) {
            return touched;
        }
        List<Hit> hits = new ArrayList<>();
        for (GroupHits g : batch) {
            hits.addAll(g.hits());
        }
        hits.sort(Hit.ORDER);
        for (Hit h : hits) {
            if (rules.rule(h.target()) == null) {
                continue; // matched under rules that changed while it was on its way here
            }
            KeyState ks = touched.get(h.target());
            if (ks == null) {
                ks = st.rule(h.target());
                if (ks == null) {
                    ks = new KeyState();
                }
                touched.put(h.target(), ks);
            }
            processor.process(ks, h, o);
        }
        return touched;
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
     * {@code clock} with the next close after {@code watermark} of a window judged when it closes
     * (a temporal condition with not; {@link CorrelationProcessor#nextClose}) folded into its
     * earliest time to look at the group, so that the group's one timer comes then. Such a window
     * closes at or before its state's cleanup (lateness + timespan after its latest event), and the
     * timer judges it before pruning. Only the states of those rules are read (from
     * {@code touched} when there), usually none.
     */
    private GroupClock withCloses(GroupStore st, GroupClock clock, Map<String, KeyState> touched, long watermark)
            throws Exception {
        for (String rule : processor.judgedAtClose()) {
            KeyState ks = touched.containsKey(rule) ? touched.get(rule) : st.rule(rule);
            if (ks == null) {
                continue;
            }
            long close = processor.nextClose(ks, rule, watermark);
            if (close != Long.MAX_VALUE) {
                clock = clock.waiting(close);
            }
        }
        return clock;
    }

    /**
     * A rule state's cleanup time: its latest time + the rule's retention + 1 (what earlier releases
     * scheduled); {@link GroupClock#FOREVER} when that overflows, none for an empty state.
     */
    @Override
    public long cleanup(String rule, KeyState ks) {
        long latest = ks.latestTime();
        long retention = processor.retention(rule, !ks.episodes().isEmpty());
        if (latest == Long.MIN_VALUE) {
            return GroupClock.NONE;
        }
        return latest < Long.MAX_VALUE - retention - 1 ? latest + retention + 1 : GroupClock.FOREVER;
    }

    /**
     * The current group's clock, migrating the state a savepoint of an earlier release holds for it
     * on first access. Its timer is registered then: the earlier release's timer was at this
     * deadline or (older releases: one per hit) at least at the earliest waiting hit, but the one
     * the clock names must exist; registering an existing timer again is a no-op. A migrated
     * group's absence windows not yet closed get their close in the clock as well.
     */
    private GroupClock clockOf(GroupStore st, TimerService timers) throws Exception {
        GroupClock c = st.clock();
        if (c != null) {
            return c;
        }
        c = st.migrate(this);
        if (!c.isEmpty()) {
            GroupClock closing = withCloses(st, c, Map.of(), timers.currentWatermark());
            if (closing != c) {
                c = closing;
                st.setClock(c);
            }
        }
        if (c.deadline() != NO_TIMER) {
            timers.registerEventTimeTimer(c.deadline());
        }
        return c;
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
