package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/** The keyed correlation operator with Flink's operator test harness: event-time state and timers. */
class CorrelateFunctionHarnessTest {
    static final RuleSet BRUTE_ONLY = DetectionFixtures.rules();

    static List<GroupHits> hits(RuleSet rules, List<LogRecord> logs) {
        RuleMatcher m = new RuleMatcher(rules);
        Normalizer n = Normalizer.defaults();
        List<GroupHits> out = new ArrayList<>();
        for (LogRecord r : logs) {
            out.addAll(m.match(n.normalize(r), r.time().toEpochMilli(), true));
        }
        out.removeIf(h -> h.stage() != 1); // one keyed stage here
        return out;
    }

    /** The hits for brute-force from one address. */
    static List<GroupHits> bruteForceFrom(String ip) {
        return hits(BRUTE_ONLY, DetectionFixtures.logs()).stream()
                .filter(x -> x.targets().stream().anyMatch(t -> t.target().equals("brute-force"))
                        && ip.equals(x.group().get("source.ip")))
                .toList();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> harness(RuleSet rules, DetectionSettings s)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CorrelateFunction(rules, s)), GroupHits::key, Types.STRING);
        h.open();
        return h;
    }

    /** Feeds hits in the given order with a watermark trailing the largest time by {@code bound}. */
    static List<Alert> run(RuleSet rules, List<GroupHits> hits, long bound) throws Exception {
        try (var h = harness(rules, DetectionSettings.defaults())) {
            long max = Long.MIN_VALUE;
            for (GroupHits hit : hits) {
                h.processElement(hit, hit.time());
                max = Math.max(max, hit.time());
                h.processWatermark(max - bound);
            }
            h.processWatermark(Long.MAX_VALUE);
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    @Test
    void shuffledInputGivesTheAlertsOfSortedInput() throws Exception {
        // stage 1 only: rules whose hits go straight to the first keyed stage
        RuleSet rules = BRUTE_ONLY;
        List<LogRecord> sorted = DetectionFixtures.logs();
        List<GroupHits> inOrder = hits(rules, sorted);
        List<GroupHits> shuffled = hits(rules, DetectionFixtures.shuffled(sorted, 240, 7));
        assertThat(shuffled).isNotEqualTo(inOrder);
        long bound = Duration.ofMinutes(5).toMillis();
        List<Alert> a = run(rules, inOrder, bound);
        List<Alert> b = run(rules, shuffled, bound);
        a.sort(Comparator.comparing(Alert::alertId));
        b.sort(Comparator.comparing(Alert::alertId));
        assertThat(a).isNotEmpty().isEqualTo(b);
        // three brute-force episodes: two plain attacks and the one straddling 11:00
        assertThat(a).filteredOn(x -> x.ruleId().equals("brute-force")).hasSize(3);
    }

    @Test
    void hitsWaitForTheWatermark() throws Exception {
        List<GroupHits> attack = bruteForceFrom("203.0.113.9");
        try (var h = harness(BRUTE_ONLY, DetectionSettings.defaults())) {
            for (GroupHits hit : attack) {
                h.processElement(hit, hit.time());
            }
            assertThat(h.extractOutputValues()).isEmpty(); // no watermark yet: nothing decided
            h.processWatermark(attack.get(4).time());
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void aLateHitWithinTheAllowedLatenessStillCompletesAnAttack() throws Exception {
        List<GroupHits> attack = bruteForceFrom("203.0.113.9").subList(0, 5);
        try (var h = harness(BRUTE_ONLY, DetectionSettings.defaults())) {
            for (int i = 1; i < 5; i++) {
                h.processElement(attack.get(i), attack.get(i).time());
            }
            h.processWatermark(attack.get(4).time() + Duration.ofMinutes(30).toMillis());
            assertThat(h.extractOutputValues()).isEmpty();
            GroupHits late = attack.get(0); // 30 minutes behind the watermark, allowed lateness is 1h
            h.processElement(late, late.time());
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.extractOutputValues().get(0).count()).isEqualTo(5);
        }
    }

    @Test
    void stateIsDroppedOnceNothingCanChangeIt() throws Exception {
        List<GroupHits> all = hits(BRUTE_ONLY, DetectionFixtures.logs());
        try (var h = harness(BRUTE_ONLY, DetectionSettings.defaults())) {
            for (GroupHits hit : all) {
                h.processElement(hit, hit.time());
            }
            long last = all.stream().mapToLong(GroupHits::time).max().orElseThrow();
            h.processWatermark(last);
            assertThat(h.numKeyedStateEntries()).isPositive();
            // allowed lateness 1h + timespan + suppression 1h later, every key is gone
            h.processWatermark(last + Duration.ofHours(3).toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
