package io.fendersec.sink.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;

/**
 * Issue 26 §3: one device that logs thousands of secrets, each with another file, is one attack:
 * the first max-alerts alerts of a rule and device per period pass, the rest become one roll-up
 * with their count; other devices keep their own budget. Runs the stage on a MiniCluster.
 */
class AlertBudgetTest {
    private static final long HOUR = 3_600_000L;
    private static final long H0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    /** secret-in-log for {@code device} at {@code t}, grouped by a device-chosen file (a new group each time). */
    private static Alert secret(String device, long t, int file) {
        Map<String, String> group = Map.of("device.udid", device, "file", "f" + file + ".swift");
        return Alert.builder().alertId(Alert.idFor("secret-in-log", "app-1", group, t)).ruleId("secret-in-log")
                .title("Secret in log").severity("high").app("app-1").group(group).window(t, t).seen(t, t).count(1)
                .evidence(List.of("uuid-" + device + "-" + file)).device(device).tags(List.of()).references(List.of())
                .build();
    }

    private static List<Alert> run(List<Alert> in, AlertBudget budget) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Alert> out = new ArrayList<>();
        AlertBudgets.apply(env.fromData(AlertTypeInfoFactory.TYPE, in.toArray(Alert[]::new)), budget)
                .executeAndCollect().forEachRemaining(out::add);
        return out;
    }

    /** 250 alerts of d1 in hour 0, 150 in hour 1; 3 of d2 in hour 0. */
    private static List<Alert> flood() {
        List<Alert> in = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            in.add(secret("d1", H0 + i * 1000L, i));
        }
        for (int i = 0; i < 150; i++) {
            in.add(secret("d1", H0 + HOUR + i * 1000L, 1000 + i));
        }
        for (int i = 0; i < 3; i++) {
            in.add(secret("d2", H0 + 5000L + i, i));
        }
        return in;
    }

    // Mutations caught: no budget (403 alerts out); a budget per group instead of per device (every
    // file is a new group, so nothing is held); budget counted across periods (hour 1 held entirely);
    // d2 sharing d1's budget; roll-up count off by one (the alert that exceeded not counted).
    @Test
    void aFloodFromOneDeviceIsTheBudgetPlusOneRollUpPerHourAndOtherDevicesAreUntouched() throws Exception {
        List<Alert> out = run(flood(), new AlertBudget(100, Duration.ofHours(1)));
        List<Alert> rollups = out.stream().filter(a -> a.kind().equals("rollup")).toList();
        List<Alert> plain = out.stream().filter(a -> !a.kind().equals("rollup")).toList();
        assertThat(plain.stream().filter(a -> a.device().equals("d1") && a.lastSeen().toEpochMilli() < H0 + HOUR))
                .hasSize(100);
        assertThat(plain.stream().filter(a -> a.device().equals("d1") && a.lastSeen().toEpochMilli() >= H0 + HOUR))
                .hasSize(100);
        assertThat(plain.stream().filter(a -> a.device().equals("d2"))).hasSize(3);
        assertThat(rollups).hasSize(2);
        Alert first = rollups.stream().filter(a -> a.windowStart().toEpochMilli() == H0).findFirst().orElseThrow();
        assertThat(first.count()).isEqualTo(150);
        assertThat(first.title()).isEqualTo("Secret in log: 150 more alerts held back (alert budget 100 per 1h)");
        assertThat(first.device()).isEqualTo("d1");
        assertThat(first.group()).isEqualTo(Map.of("device", "d1"));
        assertThat(first.severity()).isEqualTo("high");
        assertThat(first.windowEnd()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(first.evidence()).hasSize(10);
        Alert second = rollups.stream().filter(a -> a.windowStart().toEpochMilli() == H0 + HOUR).findFirst().orElseThrow();
        assertThat(second.count()).isEqualTo(50);
        assertThat(second.alertId()).isNotEqualTo(first.alertId());
    }

    // Mutation caught: a roll-up id from arrival order, a counter or the processing time (a replay, or
    // the same logs read in another order, would write a second roll-up instead of the same one).
    @Test
    void theRollUpIsTheSameWhateverTheOrderTheAlertsCameIn() throws Exception {
        List<Alert> in = flood();
        List<Alert> forward = run(in, new AlertBudget(100, Duration.ofHours(1)));
        List<Alert> reversed = new ArrayList<>(in);
        Collections.reverse(reversed);
        List<Alert> backward = run(reversed, new AlertBudget(100, Duration.ofHours(1)));
        assertThat(backward.stream().filter(a -> a.kind().equals("rollup")).map(a -> a.alertId() + "=" + a.count()))
                .containsExactlyInAnyOrderElementsOf(forward.stream().filter(a -> a.kind().equals("rollup"))
                        .map(a -> a.alertId() + "=" + a.count()).toList());
    }

    // Mutation caught: a budget that holds back alerts under it (an off-by-one at max-alerts).
    @Test
    void exactlyTheBudgetPassesWithoutARollUp() throws Exception {
        List<Alert> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            in.add(secret("d1", H0 + i, i));
        }
        List<Alert> out = run(in, new AlertBudget(5, Duration.ofHours(1)));
        assertThat(out).hasSize(5).noneMatch(a -> a.kind().equals("rollup"));
    }
}
