package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.model.LogRecord;

/**
 * An exception added while the job runs, on the live match operator: a snapshot whose exceptions
 * entry gains an exception makes the operator drop the excepted logs from then on (and count the
 * drop), while the other logs of the same rule still match; the correlation operator keeps its
 * windows across such a change.
 */
class LiveExceptionsHarnessTest {
    static final String NO_EXCEPTIONS = "exceptions: []\n";
    static final String OFFICE_EXCEPTED = """
            exceptions:
              - id: ex-office
                rule: failed-login
                field: source.ip
                values: [203.0.113.0/24]
            """;

    static RuleSnapshot snapshot(String exceptions) {
        return RuleSnapshot.of("test", List.of(
                new RuleSnapshot.Entry(RuleSnapshot.Kind.SIGMA, "rules.yml", DetectionFixtures.RULES),
                new RuleSnapshot.Entry(RuleSnapshot.Kind.EXCEPTIONS, "exceptions.yml", exceptions)));
    }

    @Test
    void anExceptionAddedByASnapshotDropsTheExceptedLogsFromThenOn() throws Exception {
        RuleSnapshot initial = snapshot(NO_EXCEPTIONS);
        var fn = new LiveMatchFunction(Normalizer.defaults(), LiveRulesHarnessTest.WATCHED, initial,
                LiveRulesHarnessTest.WATCHED.compile(initial), DetectionSettings.defaults(), false);
        try (var h = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(fn,
                List.of(RulesInForce.STATE)), 1, 1, 0)) {
            h.open();
            h.processBroadcastWatermark(Long.MAX_VALUE);
            int[] n = {0};
            LogRecord before = DetectionFixtures.log(n, 10, "dev-1", "login failed for bob from 203.0.113.9");
            h.processElement(before, before.time().toEpochMilli());
            assertThat(h.extractOutputValues()).as("no exception yet: a hit for brute-force").hasSize(1);

            RuleSnapshot excepted = snapshot(OFFICE_EXCEPTED);
            h.processBroadcastElement(excepted, 0);
            assertThat(h.getBroadcastState(RulesInForce.STATE).get(RulesInForce.KEY).digest())
                    .isEqualTo(excepted.digest());
            h.getOutput().clear();

            LogRecord office = DetectionFixtures.log(n, 20, "dev-1", "login failed for bob from 203.0.113.9");
            h.processElement(office, office.time().toEpochMilli());
            assertThat(h.extractOutputValues()).as("the excepted log is dropped").isEmpty();
            LogRecord other = DetectionFixtures.log(n, 30, "dev-1", "login failed for bob from 198.51.100.7");
            h.processElement(other, other.time().toEpochMilli());
            assertThat(h.extractOutputValues()).as("another address still counts").singleElement()
                    .satisfies(g -> assertThat(g.targets()).isNotEmpty());

            Map<String, Accumulator<?, ?>> acc = h.getEnvironment().getAccumulatorRegistry().getUserMap();
            assertThat(acc).as("the drop is counted under the new exception")
                    .hasEntrySatisfying(DetectionPipeline.DROPPED_PREFIX + "exception ex-office (failed-login)",
                            a -> assertThat(a.getLocalValue()).isEqualTo(1L));
        }
    }

    @Test
    void addingAnExceptionKeepsTheCorrelationWindows() throws Exception {
        List<GroupHits> attack = LiveRulesHarnessTest.attack();
        try (var h = LiveRulesHarnessTest.correlate(null)) {
            LiveRulesHarnessTest.feed(h, attack.subList(0, 3));
            h.processBroadcastElement(snapshot(OFFICE_EXCEPTED), 0);
            LiveRulesHarnessTest.feed(h, attack.subList(3, 5));
            // 3 hits before the change + 2 after = 5: exceptions are not part of the fingerprints
            assertThat(LiveRulesHarnessTest.bruteForce(h)).singleElement()
                    .satisfies(a -> assertThat(a.count()).isEqualTo(5));
        }
    }
}
