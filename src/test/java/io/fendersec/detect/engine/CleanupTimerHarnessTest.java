package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.model.Alert;

/**
 * Issue 26: the correlation stage's timers are bounded by its groups, not by its hits. A group has
 * one event-time timer at a time (its next waiting hit or the moment its state may go), and a
 * group evicted by {@code rules.max-groups} takes its timer with it. Expectations by hand: three
 * groups, so three timers, however many hits they get.
 */
class CleanupTimerHarnessTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

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

    // Mutation caught (seen failing): the previous timer not deleted when a later one is registered
    // (integ2's code before this fix, or moveTimer without its delete) -> 6 timers after second 2,
    // one more per group and second.
    // Mutation caught (seen failing): the deadline taken only from waiting hits (no cleanup timer
    // once they are processed) -> 0 timers after second 1, and the groups' state never dropped.
    @Test
    void everyGroupHasOneTimerHoweverManyHitsItGets() throws Exception {
        String[] ips = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
        try (var h = harness(1000)) {
            for (int s = 1; s <= 200; s++) {
                for (String ip : ips) {
                    GroupHits g = failure(ip, s);
                    h.processElement(g, g.time());
                }
                h.processWatermark(T0 + s * 1000L); // releases the second's hits; each group reschedules
                assertThat(h.numEventTimeTimers()).as("timers after second %d", s).isEqualTo(ips.length);
            }
            // A late hit (behind the watermark, within allowed lateness) moves its group's timer too.
            GroupHits late = failure("10.0.0.1", 100);
            h.processElement(late, late.time());
            assertThat(h.numEventTimeTimers()).isEqualTo(ips.length);
            // Behaviour unchanged: every group reached brute-force's 5 failures and alerted once.
            assertThat(h.extractOutputValues().stream().filter(a -> a.ruleId().equals("brute-force"))
                    .map(a -> a.group().get("source.ip")).sorted().toList()).containsExactly(ips);
            // Past lateness (1 h) + timespan + suppression, the one timer drops each group's state.
            h.processWatermark(T0 + 200_000L + 4 * HOUR);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    // Mutation caught (seen failing): an evicted group keeps its timer (state cleared, timer left to
    // fire on nothing; evictStalest without moveTimer) -> 10 timers for the 3 groups with state.
    @Test
    void anEvictedGroupTakesItsTimerWithIt() throws Exception {
        try (var h = harness(3)) {
            for (int i = 1; i <= 10; i++) {
                GroupHits g = failure("10.0.0." + i, i);
                h.processElement(g, g.time());
            }
            assertThat(StoredGroups.count(h)).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);
            // The same once the hits are processed and the groups wait for cleanup.
            h.processWatermark(T0 + 20_000L);
            for (int i = 11; i <= 15; i++) {
                GroupHits g = failure("10.0.0." + i, 20 + i);
                h.processElement(g, g.time());
                h.processWatermark(g.time());
            }
            assertThat(StoredGroups.count(h)).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);
        }
    }

    // Issue 26 §1: a credential-stuffing list makes one-off groups that never match. Such a group
    // is freed once no allowed late hit can reach its window (latest + lateness + timespan), not
    // a suppression period later; a group with an episode keeps it for its suppression.
    // Expectations by hand: brute-force is 5 failures in 5 min; lateness and suppression 1 h each.
    // Mutation caught: retention always including the suppression (integ's code before this fix)
    // -> 2 groups stored at +1 h 5 min; retention never including it -> 0 (the alerted group's
    // suppression forgotten, so a repeat would alert again within the hour).
    @Test
    void aGroupThatNeverMatchedGoesWithoutWaitingForASuppression() throws Exception {
        try (var h = harness(1000)) {
            for (int s = 1; s <= 5; s++) {
                GroupHits b = failure("10.0.0.2", s); // five: brute-force fires, an episode opens
                h.processElement(b, b.time());
                if (s <= 2) {
                    GroupHits a = failure("10.0.0.1", s); // two: never matches
                    h.processElement(a, a.time());
                }
                h.processWatermark(T0 + s * 1000L);
            }
            assertThat(h.extractOutputValues()).extracting(a -> a.group().get("source.ip"))
                    .containsExactly("10.0.0.2");
            assertThat(StoredGroups.count(h)).isEqualTo(2);
            // 10.0.0.1's last failure at second 2: gone after 2 s + 1 h + 5 min.
            h.processWatermark(T0 + 10_000L + HOUR + 300_000L);
            assertThat(StoredGroups.count(h)).isEqualTo(1);
            // 10.0.0.2's episode (last match at second 5) ends its suppression an hour later.
            h.processWatermark(T0 + 10_000L + 3 * HOUR + 300_000L);
            assertThat(StoredGroups.count(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
