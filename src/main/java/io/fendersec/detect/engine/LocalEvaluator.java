package io.fendersec.detect.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
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

    public LocalEvaluator(Normalizer normalizer, RuleSet rules, DetectionSettings settings) {
        this.normalizer = normalizer;
        this.rules = rules;
        this.settings = settings;
    }

    public static List<Alert> evaluate(List<LogRecord> logs, Normalizer normalizer, RuleSet rules,
                                       DetectionSettings settings) {
        return new LocalEvaluator(normalizer, rules, settings).evaluate(logs);
    }

    public List<Alert> evaluate(List<LogRecord> logs) {
        RuleMatcher matcher = new RuleMatcher(rules);
        CorrelationProcessor processor = new CorrelationProcessor(rules, settings);
        TreeMap<Integer, List<Hit>> byStage = new TreeMap<>();
        List<LogRecord> sorted = new ArrayList<>(logs);
        sorted.sort(Comparator.comparing((LogRecord r) -> r.time() == null ? Instant.EPOCH : r.time())
                .thenComparingLong(LogRecord::absoluteTime)
                .thenComparing(r -> r.uuid() == null ? "" : r.uuid()));
        List<GroupHits> matched = new ArrayList<>();
        for (LogRecord r : sorted) {
            boolean timed = r.time() != null;
            matcher.match(normalizer.normalize(r), timed ? r.time().toEpochMilli() : 0L, timed, matched);
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
            for (Hit h : batch) {
                processor.process(states.computeIfAbsent(h.key(), k -> new KeyState()), h, out);
            }
        }
        return alerts;
    }
}
