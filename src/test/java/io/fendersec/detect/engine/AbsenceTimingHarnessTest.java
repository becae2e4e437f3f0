package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.model.Alert;

/**
 * When an absence alert comes out of the correlation stage (Sigma v2.2 temporal conditions with
 * {@code not}, docs/rules.md "Temporal conditions"): once, when the watermark reaches the end of
 * the window the success opened, not when the job drains and not after the allowed lateness (1 h
 * by default). Expectations by hand: success at 10:00, timespan 2 min, so the window is
 * [10:00, 10:02] and the alert is due at watermark 10:02.
 */
class AbsenceTimingHarnessTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    static final RuleSet NO_MFA = RuleLoader.create().text("rules.yml", """
            title: Sign-in success
            name: success
            detection:
              sel: {text|contains: 'Login succeeded'}
              condition: sel
            ---
            title: MFA passed
            name: mfa
            detection:
              sel: {text|contains: 'MFA passed'}
              condition: sel
            ---
            title: Success without MFA
            name: no-mfa
            level: high
            correlation:
              type: temporal_ordered
              rules: [success, mfa]
              group-by: [user.name]
              timespan: 2m
              condition: success and not mfa
            """).load();

    private static GroupHits hit(String rule, String user, long millisAfterT0) {
        return new GroupHits(NO_MFA.hitStage("no-mfa"), "app1", Map.of("user.name", user), T0 + millisAfterT0,
                "phone-" + user, List.of(rule + "-" + user + "-" + millisAfterT0),
                List.of(new GroupHits.Target("no-mfa", rule, null)));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> harness() throws Exception {
        return harness(DetectionSettings.defaults());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> harness(DetectionSettings settings)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CorrelateOperator(new CorrelateFunction(NO_MFA, settings)), GroupHits::key,
                Types.STRING);
        h.open();
        return h;
    }

    private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> h) {
        return h.extractOutputValues().stream().filter(a -> a.ruleId().equals("no-mfa")).toList();
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> h, GroupHits g)
            throws Exception {
        h.processElement(g, g.time());
    }

    // Mutations caught (seen failing): the group's timer not set at the window's close (deadline
    // without nextClose) -> nothing at 10:02, the alert only at cleanup (10:02 + lateness +
    // suppression); the window's end excluded from "closed" (end >= through) -> nothing at
    // exactly 10:02; `not` ignored -> no alert.
    @Test
    void theAlertComesOutWhenTheWatermarkReachesTheWindowsEndAndOnlyOnce() throws Exception {
        try (var h = harness()) {
            send(h, hit("success", "bob", 0));
            h.processWatermark(T0 + 1_000); // the success is released into the window
            h.processWatermark(T0 + 2 * MINUTE - 1);
            assertThat(alerts(h)).as("the window [10:00, 10:02] is still open").isEmpty();
            h.processWatermark(T0 + 2 * MINUTE);
            List<Alert> out = alerts(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).group()).containsEntry("user.name", "bob");
            assertThat(out.get(0).windowStart().toEpochMilli()).isEqualTo(T0);
            assertThat(out.get(0).windowEnd().toEpochMilli()).isEqualTo(T0 + 2 * MINUTE);
            assertThat(out.get(0).evidence()).containsExactly("success-bob-0");
            // Later timers (the group's cleanup, past lateness and suppression) judge nothing again.
            h.processWatermark(T0 + 5 * HOUR);
            assertThat(alerts(h)).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    // Mutation caught (seen failing): `not` ignored (the expression read as success and mfa)
    // -> bob alerts although the MFA came at 10:01, and eve does not.
    @Test
    void anMfaWithinTheWindowMeansNoAlertEver() throws Exception {
        try (var h = harness()) {
            send(h, hit("success", "bob", 0));
            send(h, hit("mfa", "bob", MINUTE));
            send(h, hit("success", "eve", 30_000)); // another group: eve never passes MFA
            h.processWatermark(T0 + 5 * HOUR);
            assertThat(alerts(h)).extracting(a -> a.group().get("user.name")).containsExactly("eve");
        }
    }

    // A success that arrives behind the watermark (within the allowed lateness) after its window
    // has already closed is judged at once: no timer will come for it. Mutation caught (seen
    // failing): closeLate left out -> the late success never alerts.
    @Test
    void aLateSuccessWhoseWindowClosedAlreadyIsJudgedAtOnce() throws Exception {
        try (var h = harness()) {
            h.processWatermark(T0 + 10 * MINUTE);
            send(h, hit("success", "bob", 0)); // 10 min late, lateness is 1 h
            assertThat(alerts(h)).hasSize(1);
            // and a late MFA for a window still open cancels it: success at 10:09:30, MFA late at 10:09:50
            send(h, hit("success", "eve", 9 * MINUTE + 30_000));
            h.processWatermark(T0 + 10 * MINUTE + 1);
            send(h, hit("mfa", "eve", 9 * MINUTE + 50_000));
            h.processWatermark(T0 + 20 * MINUTE);
            assertThat(alerts(h)).extracting(a -> a.group().get("user.name")).containsExactly("bob");
        }
    }

    // A group without an episode is kept only lateness + timespan after its latest event
    // (CorrelationProcessor.retention); with a bounded read's lateness 0 that is 10:02:00.001 here,
    // one millisecond after the absence window [10:00, 10:02] closes. A watermark that jumps past
    // both at once must still judge the window before the group is dropped. Mutation caught (seen
    // failing): closeWindows after the prune at the group's cleanup -> the window's events are gone
    // and bob never alerts.
    @Test
    void aWatermarkPastTheGroupsCleanupStillJudgesItsAbsenceWindowFirst() throws Exception {
        try (var h = harness(DetectionSettings.defaults().forBoundedRead())) {
            send(h, hit("success", "bob", 0));
            h.processWatermark(T0 + 1_000); // released into the window
            h.processWatermark(T0 + 3 * MINUTE); // past the close (10:02) and the cleanup (10:02:00.001)
            assertThat(alerts(h)).extracting(a -> a.group().get("user.name")).containsExactly("bob");
            // the alert's episode keeps the group for the suppression (1 h), then it goes, judged once
            h.processWatermark(T0 + 5 * HOUR);
            assertThat(alerts(h)).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
