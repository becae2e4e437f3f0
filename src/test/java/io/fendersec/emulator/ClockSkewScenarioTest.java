package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.LiveScenario;
import io.fendersec.emulator.generate.LiveTraffic;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.model.Alert;
import io.fendersec.model.LabelMatcher;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;

/**
 * The live scenario {@code clock-skew}: one device uploads a session dated two days past its
 * arrival; its label spans arrival to claimed time, so it matches the alert a reader produces at
 * the bounded event time; and it stays out of {@code all} and of the generated data set.
 */
class ClockSkewScenarioTest {
    private static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

    private static Dataset dataset(String scenario) {
        return new DatasetGenerator(7, 3, 1, END, 3_000, ArrivalDelays.defaults(), Scenarios.byName(scenario).orElseThrow())
                .generate();
    }

    private static LiveScenario.Plan plan() {
        List<LiveScenario> live = Scenarios.live("clock-skew");
        assertThat(live).hasSize(1);
        return live.get(0).plan(dataset("clock-skew"), new SplittableRandom(3), NOW);
    }

    @Test
    void oneDeviceUploadsLogsDatedDaysPastTheirArrivalAndTheLabelSpansBoth() {
        LiveScenario.Plan plan = plan();
        assertThat(plan.uploads()).hasSize(1);
        assertThat(plan.labels()).hasSize(1);
        LiveScenario.Upload up = plan.uploads().get(0);
        ScenarioLabel l = plan.labels().get(0);
        assertThat(up.at()).isAfter(NOW);
        assertThat(l.ruleId()).isEqualTo("device-clock-skew");
        assertThat(l.scenario()).isEqualTo("clock-skew");
        assertThat(l.app()).isEqualTo(up.appId());
        assertThat(l.start()).as("from the arrival on").isEqualTo(up.at());
        assertThat(l.evidence()).isEqualTo(up.logs().stream().map(LogRecord::uuid).toList());
        String device = up.logs().get(0).deviceUdid();
        assertThat(l.group()).containsExactly(java.util.Map.entry("device.udid", device));
        for (LogRecord r : up.logs()) {
            assertThat(r.deviceUdid()).isEqualTo(device);
            assertThat(r.time()).isAfterOrEqualTo(up.at().plus(Duration.ofDays(2))).isBeforeOrEqualTo(l.end());
        }
        assertThat(plan().labels()).as("the same seed plans the same").isEqualTo(plan.labels());
    }

    @Test
    void theLabelMatchesAnAlertAtTheBoundedEventTimeNotOneBeforeTheArrival() {
        LiveScenario.Plan plan = plan();
        ScenarioLabel l = plan.labels().get(0);
        // A reader fetching 1 s after the arrival with the default 5 min max-clock-skew.
        long bounded = l.start().plusSeconds(1).plus(Duration.ofMinutes(5)).toEpochMilli();
        assertThat(LabelMatcher.matches(alert(l, bounded), l)).isTrue();
        long before = l.start().minusSeconds(60).toEpochMilli();
        assertThat(LabelMatcher.matches(alert(l, before), l)).isFalse();
    }

    private static Alert alert(ScenarioLabel l, long t) {
        return Alert.builder().alertId(Alert.idFor(l.ruleId(), l.app(), l.group(), t)).ruleId(l.ruleId()).title("x")
                .app(l.app()).group(l.group()).window(t, t).seen(t, t).count(1).evidence(l.evidence()).build();
    }

    @Test
    void aPlannedUploadArrivesWhenDueEvenWithoutALiveRate() throws Exception {
        LiveScenario.Plan plan = plan();
        LiveScenario.Upload up = plan.uploads().get(0);
        List<String> arrived = new CopyOnWriteArrayList<>();
        Clock due = Clock.fixed(up.at(), ZoneOffset.UTC);
        try (LiveTraffic live = new LiveTraffic(dataset("clock-skew"), 0, 7, due,
                (app, logs) -> logs.forEach(r -> arrived.add(app + "/" + r.uuid())), plan.uploads())) {
            live.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (arrived.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20); // polling the sink, not timing the timer
            }
        }
        assertThat(arrived).containsExactlyElementsOf(up.logs().stream().map(r -> up.appId() + "/" + r.uuid()).toList());
    }

    @Test
    void itIsNamedLikeTheAttacksButNotInAllAndAddsNothingToTheDataSet() {
        assertThat(Scenarios.names()).contains("clock-skew");
        assertThat(Scenarios.attacks()).doesNotContain("clock-skew");
        assertThat(Scenarios.live("all")).isEmpty();
        assertThat(Scenarios.live("brute-force, clock-skew")).extracting(LiveScenario::name).containsExactly("clock-skew");
        assertThat(dataset("all").labels()).noneMatch(l -> l.ruleId().equals("device-clock-skew"));
        assertThat(Scenarios.live("all, clock-skew")).extracting(LiveScenario::name).containsExactly("clock-skew");
        assertThat(dataset("all, clock-skew").labels()).as("all next to a live attack").isEqualTo(dataset("all").labels());
        Dataset alone = dataset("clock-skew");
        Dataset none = dataset("none");
        assertThat(alone.labels()).isEmpty();
        for (int i = 0; i < alone.apps().size(); i++) {
            assertThat(alone.logs(alone.apps().get(i).id())).hasSameSizeAs(none.logs(none.apps().get(i).id()));
        }
    }
}
