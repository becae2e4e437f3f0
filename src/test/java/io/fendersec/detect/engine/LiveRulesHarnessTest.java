package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * The live detection operators with Flink's broadcast operator harnesses: a rule change arrives
 * on the broadcast input while hits and watermarks flow; unchanged rules keep their windows,
 * changed ones start empty, and the rules in force come back from a snapshot.
 */
class LiveRulesHarnessTest {
    /** The watch compiles the texts alone (no built-in rules); the patterns are not read here. */
    static final WatchedRules WATCHED = new WatchedRules(Path.of("."), List.of("rules.yml"), List.of(), Map.of(),
            Map.of(), 2, Duration.ofMinutes(1));

    static RuleSnapshot snapshot(String text) {
        return RuleSnapshot.of("test", List.of(new RuleSnapshot.Entry(RuleSnapshot.Kind.SIGMA, "rules.yml", text)));
    }

    static final RuleSnapshot INITIAL = snapshot(DetectionFixtures.RULES);
    /** brute-force needs 4 failures instead of 5. */
    static final RuleSnapshot LOWER_THRESHOLD = snapshot(DetectionFixtures.RULES.replace("condition: {gte: 5}",
            "condition: {gte: 4}"));
    /** Another correlation changed, and brute-force's title: brute-force's state is unaffected. */
    static final RuleSnapshot OTHER_CHANGED = snapshot(DetectionFixtures.RULES.replace("timespan: 30m", "timespan: 20m")
            .replace("title: Brute force\n", "title: Brute force (renamed)\n"));

    static KeyedBroadcastOperatorTestHarness<String, GroupHits, RuleSnapshot, Alert> correlate(OperatorSubtaskState restore)
            throws Exception {
        RuleSet rules = WATCHED.compile(INITIAL);
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new LiveCorrelateFunction(WATCHED, INITIAL, rules, DetectionSettings.defaults()),
                List.of(RulesInForce.STATE)), GroupHits::key, Types.STRING, 128, 1, 0);
        h.setup();
        h.initializeState(restore);
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE); // as the watch source does: rules never hold back event time
        return h;
    }

    /** The 8 failed logins from one address, 15 s apart (fixtures). */
    static List<GroupHits> attack() {
        return CorrelateFunctionHarnessTest.bruteForceFrom("203.0.113.9");
    }

    static void feed(KeyedBroadcastOperatorTestHarness<String, GroupHits, RuleSnapshot, Alert> h, List<GroupHits> hits)
            throws Exception {
        for (GroupHits g : hits) {
            h.processElement(g, g.time());
            h.processWatermark(g.time());
        }
    }

    static List<Alert> bruteForce(KeyedBroadcastOperatorTestHarness<String, GroupHits, RuleSnapshot, Alert> h) {
        return h.extractOutputValues().stream().filter(a -> a.ruleId().equals("brute-force")).toList();
    }

    @Test
    void anUnchangedCorrelationKeepsItsWindowAcrossAChange() throws Exception {
        List<GroupHits> attack = attack();
        try (var h = correlate(null)) {
            feed(h, attack.subList(0, 3));
            h.processBroadcastElement(OTHER_CHANGED, 0);
            feed(h, attack.subList(3, 5));
            // 3 before the change + 2 after = 5: the window was kept
            assertThat(bruteForce(h)).hasSize(1);
            assertThat(bruteForce(h).get(0).count()).isEqualTo(5);
            assertThat(bruteForce(h).get(0).title()).isEqualTo("Brute force (renamed)");
        }
    }

    @Test
    void aChangedThresholdStartsEmpty() throws Exception {
        List<GroupHits> attack = attack();
        try (var h = correlate(null)) {
            feed(h, attack.subList(0, 3));
            h.processBroadcastElement(LOWER_THRESHOLD, 0);
            feed(h, attack.subList(3, 6));
            // with the old window kept, the 4th failure would complete "4 in 5m" at once
            assertThat(bruteForce(h)).isEmpty();
            feed(h, attack.subList(6, 7));
            assertThat(bruteForce(h)).hasSize(1);
            assertThat(bruteForce(h).get(0).count()).isEqualTo(4);
        }
    }

    @Test
    void hitsWaitingForTheWatermarkOfAChangedRuleAreDropped() throws Exception {
        List<GroupHits> attack = attack();
        try (var h = correlate(null)) {
            for (GroupHits g : attack.subList(0, 3)) {
                h.processElement(g, g.time()); // held: no watermark yet
            }
            h.processBroadcastElement(LOWER_THRESHOLD, 0);
            feed(h, attack.subList(3, 6));
            assertThat(bruteForce(h)).isEmpty();
        }
    }

    @Test
    void theRulesInForceAreRestoredFromASnapshot() throws Exception {
        List<GroupHits> attack = attack();
        OperatorSubtaskState snapshot;
        try (var h = correlate(null)) {
            h.processBroadcastElement(LOWER_THRESHOLD, 0);
            snapshot = h.snapshot(1, 1);
        }
        // built with the rules of submit time (gte 5), restored with the change in broadcast state
        try (var h = correlate(snapshot)) {
            feed(h, attack.subList(0, 4));
            assertThat(bruteForce(h)).hasSize(1);
            assertThat(bruteForce(h).get(0).count()).isEqualTo(4);
        }
    }

    @Test
    void aSnapshotThatDoesNotLoadLeavesTheRulesInForce() throws Exception {
        List<GroupHits> attack = attack();
        try (var h = correlate(null)) {
            feed(h, attack.subList(0, 3));
            h.processBroadcastElement(snapshot(DetectionFixtures.RULES.replace("condition: {gte: 5}",
                    "condition: {gte: five}")), 0);
            feed(h, attack.subList(3, 5));
            assertThat(bruteForce(h)).hasSize(1); // the old rules, and their window
            assertThat(h.getBroadcastState(RulesInForce.STATE).get(RulesInForce.KEY)).isNull();
        }
    }

    @Test
    void theMatchOperatorMatchesWithTheRulesInForce() throws Exception {
        RuleSet rules = WATCHED.compile(INITIAL);
        String added = DetectionFixtures.RULES + """
                ---
                title: Debug menu opened
                name: debug-menu
                detection:
                  sel: {text|contains: 'debug menu'}
                  condition: sel
                """;
        var fn = new LiveMatchFunction(Normalizer.defaults(), WATCHED, INITIAL, rules, DetectionSettings.defaults(),
                false);
        try (var h = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(fn,
                List.of(RulesInForce.STATE)), 1, 1, 0)) {
            h.open();
            h.processBroadcastWatermark(Long.MAX_VALUE);
            LogRecord before = DetectionFixtures.log(new int[] {0}, 10, "dev-1", "debug menu opened by tester");
            h.processElement(before, before.time().toEpochMilli());
            assertThat(h.extractOutputValues()).isEmpty();
            h.processBroadcastElement(snapshot(added), 0);
            assertThat(h.getBroadcastState(RulesInForce.STATE).get(RulesInForce.KEY).digest())
                    .isEqualTo(snapshot(added).digest());
            LogRecord after = DetectionFixtures.log(new int[] {1}, 20, "dev-1", "debug menu opened by tester");
            h.processElement(after, after.time().toEpochMilli());
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(g -> assertThat(g.targets().get(0).target()).isEqualTo("debug-menu"));
        }
    }
}
