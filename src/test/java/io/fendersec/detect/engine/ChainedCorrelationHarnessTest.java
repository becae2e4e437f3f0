package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * A chained correlation (brute-force-success over brute-force) through both keyed stages, wired as
 * the pipeline wires them, under finite watermarks that advance with the logs as a running job's
 * do: its alert must come out while the job runs, not when end of input sends the final watermark.
 * And the match operator's side of lateness: logs past the allowed lateness make no correlation
 * hits and go to the too-late output.
 */
class ChainedCorrelationHarnessTest {
    private static final long BOUND = Duration.ofMinutes(1).toMillis();

    /** When (at which watermark) each rule's alerts first came out, over a run with finite watermarks. */
    record Run(List<Alert> alerts, Map<String, Long> firstAlertAtWatermark, long lastWatermark) {}

    static Run runBothStages(RuleSet rules, List<LogRecord> logs) throws Exception {
        RuleMatcher matcher = new RuleMatcher(rules);
        Normalizer normalizer = Normalizer.defaults();
        List<Alert> alerts = new ArrayList<>();
        Map<String, Long> first = new TreeMap<>();
        long wm = Long.MIN_VALUE;
        try (var stage1 = CorrelateFunctionHarnessTest.harness(rules, DetectionSettings.defaults());
             var stage2 = CorrelateFunctionHarnessTest.harness(rules, DetectionSettings.defaults())) {
            long max = Long.MIN_VALUE;
            for (LogRecord r : logs) {
                long t = r.time().toEpochMilli();
                for (GroupHits g : matcher.match(normalizer.normalize(r), t, true)) {
                    (g.stage() == 1 ? stage1 : stage2).processElement(g, g.time());
                }
                max = Math.max(max, t);
                wm = max - BOUND;
                // Flink's order: stage 1 emits what the watermark releases (alerts and chained hits),
                // then forwards the watermark; stage 2 gets the chained hits before that watermark.
                stage1.processWatermark(wm);
                forwardChained(stage1, stage2);
                stage2.processWatermark(wm);
                collect(stage1, alerts, first, wm);
                collect(stage2, alerts, first, wm);
            }
        }
        return new Run(alerts, first, wm);
    }

    private static void forwardChained(KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> from,
            KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> to) throws Exception {
        var chained = from.getSideOutput(CorrelateFunction.CHAINED);
        if (chained == null) {
            return;
        }
        List<StreamRecord<GroupHits>> batch = new ArrayList<>(chained);
        chained.clear();
        for (StreamRecord<GroupHits> r : batch) {
            assertThat(r.getValue().stage()).isEqualTo(2);
            to.processElement(r.getValue(), r.getValue().time());
        }
    }

    private static void collect(KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> h, List<Alert> into,
            Map<String, Long> first, long wm) {
        for (Alert a : h.extractOutputValues()) {
            if (!into.contains(a)) {
                into.add(a);
                first.putIfAbsent(a.ruleId(), wm);
            }
        }
    }

    @Test
    void aChainedCorrelationAlertsWhileTheWatermarkIsStillFinite() throws Exception {
        Run run = runBothStages(DetectionFixtures.rules(), DetectionFixtures.logs());
        long success = DetectionFixtures.T0.plusSeconds(900).toEpochMilli(); // the login after the attack

        List<Alert> chained = run.alerts().stream().filter(a -> a.ruleId().equals("brute-force-success")).toList();
        assertThat(chained).as("alerts %s", run.alerts()).isNotEmpty();
        assertThat(chained).allSatisfy(a -> assertThat(a.group()).containsEntry("source.ip", "203.0.113.9"));
        // Out as soon as the watermark passed the login that completed it, hours before the input ends.
        assertThat(run.firstAlertAtWatermark().get("brute-force-success"))
                .isBetween(success, success + 10 * BOUND)
                .isLessThan(run.lastWatermark());
        // Its stage-1 input is on time too: the first brute force, decided before the success login.
        assertThat(run.firstAlertAtWatermark().get("brute-force")).isLessThan(success);
    }

    @Test
    void logsPastTheAllowedLatenessMakeNoCorrelationHitsAndGoToTheTooLateOutput() throws Exception {
        RuleSet rules = DetectionFixtures.rules();
        List<LogRecord> logs = DetectionFixtures.logs();
        LogRecord failure = logs.stream().filter(r -> r.get("text").toString().startsWith("login failed")).findFirst()
                .orElseThrow();
        DetectionSettings settings = DetectionSettings.defaults(); // allowed lateness 1h
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new MatchFunction(Normalizer.defaults(), rules, settings)))) {
            h.open();
            long t = failure.time().toEpochMilli();
            // Within the allowed lateness: a hit for brute-force's correlation, nothing too late.
            h.processWatermark(t + Duration.ofMinutes(59).toMillis());
            h.processElement(failure, t);
            assertThat(h.extractOutputValues()).anySatisfy(g -> assertThat(g.targets())
                    .anySatisfy(x -> assertThat(x.target()).isEqualTo("brute-force")));
            assertThat(h.getSideOutput(MatchFunction.TOO_LATE)).isNullOrEmpty();

            // Past it: no correlation hit; the log goes to the too-late output (archived, counted).
            h.getOutput().clear();
            h.processWatermark(t + Duration.ofMinutes(61).toMillis());
            h.processElement(failure, t);
            assertThat(h.extractOutputValues()).noneSatisfy(g -> assertThat(g.targets())
                    .anySatisfy(x -> assertThat(x.target()).isEqualTo("brute-force")));
            assertThat(h.getSideOutput(MatchFunction.TOO_LATE)).extracting(StreamRecord::getValue)
                    .containsExactly(failure);
        }
    }
}
