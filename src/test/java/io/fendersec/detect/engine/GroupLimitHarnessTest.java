package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.model.Alert;

/**
 * {@code rules.max-groups} (issue 26): an attacker who makes up a new group per log cannot grow a
 * rule's state past the cap; the stalest groups go, are counted, and one {@code state-pressure}
 * alert per rule and hour says so. Expectations by hand from the cap of 3 and the hits fed.
 */
class GroupLimitHarnessTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    /** One failed login from {@code ip} at {@code T0 + seconds}: a hit for brute-force (grouped by source.ip). */
    private static GroupHits failure(String ip, long seconds) {
        return new GroupHits(1, "app1", Map.of("source.ip", ip), T0 + seconds * 1000, "dev-" + ip,
                List.of("u-" + ip + "-" + seconds), List.of(new GroupHits.Target("brute-force", "failed-login", null)));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> harness(int maxGroups)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CorrelateOperator(new CorrelateFunction(CorrelateFunctionHarnessTest.BRUTE_ONLY,
                        DetectionSettings.defaults().withMaxGroups(maxGroups))), GroupHits::key, Types.STRING);
        h.open();
        return h;
    }

    /** The operator's groupsEvicted counter. */
    private static long evicted(KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> h) {
        return ((CorrelateFunction) ((CorrelateOperator) h.getOperator()).getUserFunction()).groupsEvicted();
    }

    // Mutation caught: no cap (touch never makes anything due) -> 10 groups keep state, no alert.
    // Mutation caught: the freshest group evicted instead of the stalest -> 10.0.0.1 keeps its state.
    @Test
    void pastTheCapTheStalestGroupsAreDroppedCountedAndReportedOncePerRuleAndHour() throws Exception {
        try (var h = harness(3)) {
            for (int i = 1; i <= 10; i++) {
                GroupHits g = failure("10.0.0." + i, i);
                h.processElement(g, g.time());
            }
            // 10 groups made up, the cap is 3: the 7 stalest (10.0.0.1 .. 10.0.0.7) were dropped.
            assertThat(StoredGroups.count(h)).isEqualTo(3);
            assertThat(evicted(h)).isEqualTo(7);
            List<Alert> pressure = h.extractOutputValues().stream()
                    .filter(a -> a.ruleId().equals("state-pressure")).toList();
            assertThat(pressure).hasSize(1); // one per rule and hour, not one per eviction
            Alert a = pressure.get(0);
            assertThat(a.group()).isEqualTo(Map.of("rule", "brute-force"));
            assertThat(a.title()).contains("brute-force").contains("rules.max-groups 3");
            assertThat(a.windowStart()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z")); // 10:00-11:00

            // The stalest-first order: 10.0.0.1 was dropped, so its five failures start from scratch;
            // the kept 10.0.0.10 reaches brute-force's threshold (5) with four more.
            for (int s = 20; s < 24; s++) {
                GroupHits g = failure("10.0.0.10", s);
                h.processElement(g, g.time());
            }
            h.processWatermark(T0 + 30_000);
            assertThat(h.extractOutputValues().stream().filter(x -> x.ruleId().equals("brute-force")).toList())
                    .singleElement().satisfies(x -> assertThat(x.group()).isEqualTo(Map.of("source.ip", "10.0.0.10")));

            // Another hour of flooding: one more pressure alert (rule and hour), not one per eviction.
            for (int i = 11; i <= 15; i++) {
                GroupHits g = failure("10.0.0." + i, 3600 + i);
                h.processElement(g, g.time());
            }
            assertThat(h.extractOutputValues().stream().filter(x -> x.ruleId().equals("state-pressure")).toList())
                    .hasSize(2).last().satisfies(x -> assertThat(x.windowStart()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z")));
        }
    }

    // Mutation caught: a group touched again is not made the freshest (insertion order instead of
    // access order) -> the busy group 10.0.0.1 is evicted although it is the latest to be hit.
    @Test
    void aGroupHitAgainIsNotTheStalest() throws Exception {
        try (var h = harness(2)) {
            h.processElement(failure("10.0.0.1", 1), T0 + 1000);
            h.processElement(failure("10.0.0.2", 2), T0 + 2000);
            h.processElement(failure("10.0.0.1", 3), T0 + 3000); // 10.0.0.1 busy again
            h.processElement(failure("10.0.0.3", 4), T0 + 4000); // over the cap: 10.0.0.2 goes
            assertThat(evicted(h)).isEqualTo(1);
            assertThat(StoredGroups.count(h)).isEqualTo(2);
            // the dropped one is 10.0.0.2: 10.0.0.1 goes on to brute-force's five failures and alerts
            for (int s = 5; s < 8; s++) {
                h.processElement(failure("10.0.0.1", s), T0 + s * 1000L);
            }
            h.processWatermark(T0 + 10_000);
            assertThat(h.extractOutputValues().stream().filter(x -> x.ruleId().equals("brute-force")).toList())
                    .singleElement().satisfies(x -> assertThat(x.group()).isEqualTo(Map.of("source.ip", "10.0.0.1")));
        }
    }

    // Mutation caught: expired groups counted as evictions -> a quiet job reports pressure it never had.
    @Test
    void groupsThatExpiredOnTheirOwnAreNotCountedAsEvicted() throws Exception {
        try (var h = harness(2)) {
            h.processElement(failure("10.0.0.1", 1), T0 + 1000);
            h.processElement(failure("10.0.0.2", 2), T0 + 2000);
            h.processWatermark(T0 + 4 * 3_600_000L); // lateness + timespan + suppression later: both gone
            assertThat(h.numKeyedStateEntries()).isZero();
            long later = 4 * 3600 + 10;
            h.processElement(failure("10.0.0.3", later), T0 + later * 1000);
            h.processElement(failure("10.0.0.4", later + 1), T0 + (later + 1) * 1000);
            assertThat(evicted(h)).isZero();
            assertThat(h.extractOutputValues()).noneMatch(a -> a.ruleId().equals("state-pressure"));
        }
    }
    /** The live stage (a job that watches its rule files) as the job runs it, capped at {@code maxGroups}. */
    private static KeyedBroadcastOperatorTestHarness<String, GroupHits, RuleSnapshot, Alert> liveHarness(int maxGroups)
            throws Exception {
        var fn = new LiveCorrelateFunction(LiveRulesHarnessTest.WATCHED, LiveRulesHarnessTest.INITIAL,
                LiveRulesHarnessTest.WATCHED.compile(LiveRulesHarnessTest.INITIAL),
                DetectionSettings.defaults().withMaxGroups(maxGroups));
        var h = new KeyedBroadcastOperatorTestHarness<>(new LiveCorrelateOperator(fn), GroupHits::key, Types.STRING,
                128, 1, 0);
        h.setup();
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE); // as the watch source does
        return h;
    }

    // Mutation caught (seen failing): the live job runs Flink's plain broadcast operator again (no
    // evictions, as before this change) -> 10 groups keep state, 0 evicted, no pressure alert.
    // Mutation caught (seen failing): the live operator evicts but does not count -> groupsEvicted 0.
    @Test
    void aJobThatWatchesItsRulesAppliesTheSameCap() throws Exception {
        try (var h = liveHarness(3)) {
            for (int i = 1; i <= 10; i++) {
                GroupHits g = failure("10.0.0." + i, i);
                h.processElement(g, g.time());
            }
            // 10 groups made up, the cap is 3: the 7 stalest were dropped, with their timers.
            assertThat(StoredGroups.count(h)).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);
            LiveCorrelateFunction fn = (LiveCorrelateFunction) ((LiveCorrelateOperator) h.getOperator()).getUserFunction();
            assertThat(fn.groupsEvicted()).isEqualTo(7);
            assertThat(h.extractOutputValues().stream().filter(a -> a.ruleId().equals("state-pressure")).toList())
                    .singleElement().satisfies(a -> assertThat(a.group()).isEqualTo(Map.of("rule", "brute-force")));
            // the kept 10.0.0.10 goes on to brute-force's five failures and alerts
            for (int s = 20; s < 24; s++) {
                GroupHits g = failure("10.0.0.10", s);
                h.processElement(g, g.time());
            }
            h.processWatermark(T0 + 30_000);
            assertThat(h.extractOutputValues().stream().filter(x -> x.ruleId().equals("brute-force")).toList())
                    .singleElement().satisfies(x -> assertThat(x.group()).isEqualTo(Map.of("source.ip", "10.0.0.10")));
        }
    }
}
