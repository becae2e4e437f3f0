package io.fendersec.detect.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * Runs rules over a finite set of logs without Flink, for {@code fendersec rules test} and for
 * tests: the same {@link RuleMatcher} and {@link CorrelationProcessor} as the streaming job, fed
 * in event-time order, stage by stage. Logs without a valid {@code time} are evaluated by rules
 * that alert on their own only (at time 0), as the job treats logs too late for correlations.
 */
public final class LocalEvaluator {
    private final Normalizer normalizer;
    private final RuleSet rules;
    private final DetectionSettings settings;

    /** How far past the evaluation a device time may lie, as the source's default {@code max-clock-skew}. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, Long> dropped = new LinkedHashMap<>();

    public LocalEvaluator(Normalizer normalizer, RuleSet rules, DetectionSettings settings) {
        this(normalizer, rules, settings, Clock.systemUTC());
    }

    /**
     * @param clock when the logs are evaluated: they were fetched no later, so a device time past it
     *              + {@link #MAX_CLOCK_SKEW} is evaluated at that bound, as the job does with the fetch time;
     *              exceptions expire by it too (processing time)
     */
    public LocalEvaluator(Normalizer normalizer, RuleSet rules, DetectionSettings settings, Clock clock) {
        this.normalizer = normalizer;
        this.rules = rules;
        this.settings = settings;
        this.clock = clock;
    }

    public static List<Alert> evaluate(List<LogRecord> logs, Normalizer normalizer, RuleSet rules,
                                       DetectionSettings settings) {
        return new LocalEvaluator(normalizer, rules, settings).evaluate(logs);
    }

    /**
     * Matches the last {@link #evaluate} dropped, by filter or exception ({@link RuleMatcher.Suppression#label()}),
     * zeros included, as the job counts them.
     */
    public Map<String, Long> droppedMatches() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
    }

    public List<Alert> evaluate(List<LogRecord> logs) {
        RuleMatcher matcher = new RuleMatcher(rules, clock);
        List<RuleMatcher.Suppression> suppressions = matcher.suppressions();
        dropped.clear();
        suppressions.forEach(x -> dropped.put(x.label(), 0L));
        matcher.onDrop(i -> dropped.merge(suppressions.get(i).label(), 1L, Long::sum));
        CorrelationProcessor processor = new CorrelationProcessor(rules, settings);
        TreeMap<Integer, List<Hit>> byStage = new TreeMap<>();
        long bound = clock.instant().plus(MAX_CLOCK_SKEW).toEpochMilli();
        List<LogRecord> sorted = new ArrayList<>(logs);
        sorted.sort(Comparator.comparingLong((LogRecord r) -> {
                    Long t = DeviceClock.eventTime(r, bound);
                    return t == null ? 0L : t;
                })
                .thenComparingLong(LogRecord::absoluteTime)
                .thenComparing(r -> r.uuid() == null ? "" : r.uuid()));
        List<GroupHits> matched = new ArrayList<>();
        for (LogRecord r : sorted) {
            Long t = DeviceClock.eventTime(r, bound);
            long time = t == null ? 0L : t;
            matcher.match(DeviceClock.judge(normalizer.normalize(r), time), time, t != null, matched);
        }
        for (GroupHits g : matched) {
            byStage.computeIfAbsent(g.stage(), k -> new ArrayList<>()).addAll(g.hits());
        }
        List<Alert> alerts = new ArrayList<>();
        Map<String, KeyState> states = new HashMap<>();
        for (int stage = 1; stage <= Math.max(1, rules.maxStage()); stage++) {
            // A copy: a stage may have no hits at all (then there is no list of its own to sort).
            List<Hit> batch = new ArrayList<>(byStage.getOrDefault(stage, List.of()));
            batch.sort(Hit.ORDER);
            CorrelationProcessor.Output out = new CorrelationProcessor.Output() {
                @Override
                public void alert(Alert alert) {
                    alerts.add(alert);
                }

                @Override
                public void chained(Hit hit) {
                    byStage.computeIfAbsent(rules.hitStage(hit.target()), k -> new ArrayList<>()).add(hit);
                }
            };
            Map<String, String> touched = new LinkedHashMap<>(); // key -> rule, in the order first hit
            for (Hit h : batch) {
                processor.process(states.computeIfAbsent(h.key(), k -> new KeyState()), h, out);
                touched.putIfAbsent(h.key(), h.target());
            }
            // The logs are all here: every window of the stage has closed (as at a bounded job's end).
            for (Map.Entry<String, String> k : touched.entrySet()) {
                processor.closeWindows(states.get(k.getKey()), k.getValue(), Long.MIN_VALUE, Long.MAX_VALUE, out);
            }
        }
        return alerts;
    }
}
