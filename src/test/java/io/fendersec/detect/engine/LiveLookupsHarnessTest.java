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
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.detect.enrich.LookupFile;
import io.fendersec.detect.enrich.LookupFormat;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * The live detection operators when the job watches its lookup files: a snapshot whose table
 * changed is joined onto the logs that follow (and comes back from a checkpoint), a change of a
 * table alone restarts no rule's state, and a table that does not load leaves the one in force.
 */
class LiveLookupsHarnessTest {
    static final String VIP_PATH = Path.of("vip.csv").toAbsolutePath().toString();
    /** The watch compiles the texts alone (no built-in rules); the files are not read here. */
    static final WatchedRules WATCHED = new WatchedRules(Path.of("."), List.of("rules.yml"), List.of(), Map.of(),
            Map.of(), 2, Duration.ofMinutes(1)).withLookups(List.of(new LookupFile(VIP_PATH, "user.name", "vip", null,
                    KeyMatch.EXACT, LookupFormat.CSV)), null, Normalizer.defaults());

    static final String VIP_RULE = """
            ---
            title: VIP sign-in
            name: vip-login
            detection:
              sel: {vip.tier: gold}
              condition: sel
            """;
    static final String RULES = DetectionFixtures.RULES + VIP_RULE;
    static final String TABLE = "account,tier\nben@example.com,silver\n";
    /** ana becomes a VIP. */
    static final String TABLE_WITH_ANA = TABLE + "ana@example.com,gold\n";

    static RuleSnapshot snapshot(String rules, String table) {
        return RuleSnapshot.of("test", List.of(new RuleSnapshot.Entry(RuleSnapshot.Kind.SIGMA, "rules.yml", rules),
                new RuleSnapshot.Entry(RuleSnapshot.Kind.LOOKUP, VIP_PATH, table)));
    }

    static final RuleSnapshot INITIAL = snapshot(RULES, TABLE);
    static final RuleSnapshot ANA_IS_VIP = snapshot(RULES, TABLE_WITH_ANA);

    /** A match operator built as the pipeline builds it: with the tables of the initial snapshot. */
    static BroadcastOperatorTestHarness<LogRecord, RuleSnapshot, GroupHits> match(OperatorSubtaskState restore)
            throws Exception {
        var fn = new LiveMatchFunction(WATCHED.normalizer(INITIAL), WATCHED, INITIAL, WATCHED.compile(INITIAL),
                DetectionSettings.defaults(), false);
        var h = new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(fn,
                List.of(RulesInForce.STATE)), 1, 1, 0);
        h.setup();
        h.initializeState(restore);
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE);
        return h;
    }

    static final int[] SEQ = {0};

    static List<String> anaSignsIn(BroadcastOperatorTestHarness<LogRecord, RuleSnapshot, GroupHits> h)
            throws Exception {
        h.getOutput().clear();
        LogRecord log = DetectionFixtures.log(SEQ, 10, "dev-1", "Login succeeded for ana@example.com from 192.0.2.1");
        h.processElement(log, log.time().toEpochMilli());
        return h.extractOutputValues().stream().flatMap(g -> g.targets().stream()).map(GroupHits.Target::target)
                .toList();
    }

    @Test
    void aChangedTableIsJoinedOntoTheLogsThatFollow() throws Exception {
        try (var h = match(null)) {
            assertThat(anaSignsIn(h)).as("ana is not in the table yet").contains("login-ok").doesNotContain("vip-login");
            h.processBroadcastElement(ANA_IS_VIP, 0);
            assertThat(h.getBroadcastState(RulesInForce.STATE).get(RulesInForce.KEY)).isEqualTo(ANA_IS_VIP);
            assertThat(anaSignsIn(h)).contains("vip-login");
        }
    }

    @Test
    void theTablesInForceAreRestoredFromASnapshot() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var h = match(null)) {
            h.processBroadcastElement(ANA_IS_VIP, 0);
            checkpoint = h.snapshot(1, 1);
        }
        // built with the table of submit time, restored with the changed one in broadcast state
        try (var h = match(checkpoint)) {
            assertThat(anaSignsIn(h)).contains("vip-login");
        }
    }

    @Test
    void aTableThatDoesNotLoadLeavesTheTablesInForce() throws Exception {
        try (var h = match(null)) {
            h.processBroadcastElement(ANA_IS_VIP, 0);
            h.processBroadcastElement(snapshot(RULES, TABLE + ",platinum\n"), 0); // only a source of another release
            assertThat(h.getBroadcastState(RulesInForce.STATE).get(RulesInForce.KEY)).isEqualTo(ANA_IS_VIP);
            assertThat(anaSignsIn(h)).contains("vip-login");
        }
    }

    @Test
    void aChangeOfATableAloneRestartsNoRule() throws Exception {
        RulesInForce inForce = new RulesInForce(WATCHED, INITIAL, WATCHED.compile(INITIAL));
        RulesInForce.Change change = inForce.apply(ANA_IS_VIP);
        assertThat(change).isNotNull();
        assertThat(change.restarted()).isEmpty();

        // and the correlation operator keeps its windows across it: 3 failures before + 2 after = 5
        List<GroupHits> attack = CorrelateFunctionHarnessTest.bruteForceFrom("203.0.113.9");
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new LiveCorrelateFunction(WATCHED, INITIAL, WATCHED.compile(INITIAL), DetectionSettings.defaults()),
                List.of(RulesInForce.STATE)), GroupHits::key, Types.STRING, 128, 1, 0)) {
            h.open();
            h.processBroadcastWatermark(Long.MAX_VALUE);
            feed(h, attack.subList(0, 3));
            h.processBroadcastElement(ANA_IS_VIP, 0);
            feed(h, attack.subList(3, 5));
            List<Alert> brute = h.extractOutputValues().stream().filter(a -> a.ruleId().equals("brute-force")).toList();
            assertThat(brute).singleElement().satisfies(a -> assertThat(a.count()).isEqualTo(5));
        }
    }

    static void feed(KeyedBroadcastOperatorTestHarness<String, GroupHits, RuleSnapshot, Alert> h, List<GroupHits> hits)
            throws Exception {
        for (GroupHits g : hits) {
            h.processElement(g, g.time());
            h.processWatermark(g.time());
        }
    }
}
