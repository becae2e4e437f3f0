package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.testing.FailOnceAfterCheckpoint;
import io.fendersec.testing.ListGenerator;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;
import io.fendersec.model.AlertJson;
import io.fendersec.sink.AlertSinks;

/** The detection pipeline on a real Flink MiniCluster, with generic (Kryo) types disabled. */
class DetectionPipelineIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final RuleSet RULES = DetectionFixtures.rules();
    static final List<LogRecord> LOGS = DetectionFixtures.logs();
    static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(10);

    static StreamExecutionEnvironment env() {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(2);
        return env;
    }

    static WatermarkStrategy<LogRecord> watermarks() {
        return WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((r, ts) -> r.time().toEpochMilli());
    }

    /**
     * The alerts of {@link DetectionFixtures}, worked out by hand from the fixture's attacks and the
     * rules (not computed by the code under test): one row per alert, in event-time order. Ids are
     * UUIDv5 over rule, app, group and episode start, computed with Python's uuid.uuid5.
     */
    record Expected(String id, String rule, String severity, Map<String, String> group, String windowStart,
            String windowEnd, String firstSeen, String lastSeen, long count, String device, List<String> evidence) {}

    static final List<Expected> BY_HAND = List.of(
            // 203.0.113.9: 8 failures from 10:10:00, 15 s apart: the 5th at 10:11:00
            new Expected("8e3dd8a3-9ad6-5339-8379-2e022f2620da", "brute-force", "high", Map.of("source.ip", "203.0.113.9"),
                    "10:06:00", "10:11:00", "10:10:00", "10:11:00", 5, "dev-attacker", uuids(500, 504)),
            // the success login at 10:15:00 (generate: true on brute-force-success)
            new Expected("8df16410-97d6-572e-882c-2e340eaebf93", "login-ok", "medium",
                    Map.of("device.udid", "dev-attacker"), "10:15:00", "10:15:00", "10:15:00", "10:15:00", 1,
                    "dev-attacker", uuids(526, 526)),
            // brute force (10:11:00) then the success (10:15:00) from 203.0.113.9, within 30 minutes
            new Expected("11082cfb-d40d-5b21-9c03-4707a720dfd0", "brute-force-success", "critical",
                    Map.of("source.ip", "203.0.113.9"), "09:45:00", "10:15:00", "10:11:00", "10:15:00", 2,
                    "dev-attacker", concat(uuids(500, 504), uuids(526, 526))),
            // dev-rooted-1 five times from 10:33:20: one episode, alerted at its first log
            new Expected("b7dd3fba-add9-53c0-9c30-a7f8595e4d16", "root-detected", "medium",
                    Map.of("device.udid", "dev-rooted-1"), "10:33:20", "10:33:20", "10:33:20", "10:33:20", 1,
                    "dev-rooted-1", uuids(527, 527)),
            // 192.0.2.44: 3 failures from 10:59:00 and 3 from 11:01:00, 5 s apart: the 5th at 11:01:05
            new Expected("6f898668-836a-52bc-ae81-ed596d424ebf", "brute-force", "high", Map.of("source.ip", "192.0.2.44"),
                    "10:56:05", "11:01:05", "10:59:00", "11:01:05", 5, "dev-attacker", uuids(516, 520)),
            // 198.51.100.7: 8 failures from 11:06:40, 10 s apart: the 5th at 11:07:20
            new Expected("89a6d5b7-ffe6-521a-ba80-e91595704456", "brute-force", "high",
                    Map.of("source.ip", "198.51.100.7"), "11:02:20", "11:07:20", "11:06:40", "11:07:20", 5,
                    "dev-attacker", uuids(508, 512)),
            // dev-rooted-2 once at 12:30:00
            new Expected("125bb54e-34b5-5439-9e15-9be1fd219189", "root-detected", "medium",
                    Map.of("device.udid", "dev-rooted-2"), "12:30:00", "12:30:00", "12:30:00", "12:30:00", 1,
                    "dev-rooted-2", uuids(532, 532)));

    /** Fixture uuids log-{from}..log-{to}: 500 benign logs come first, then the attacks in the order written. */
    static List<String> uuids(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(String.format("log-%05d", i));
        }
        return out;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** {@code alerts} sorted by alert id, as the runs here sort them. */
    static void assertAsWorkedOutByHand(List<Alert> alerts) {
        List<Expected> byId = BY_HAND.stream().sorted(Comparator.comparing(Expected::id)).toList();
        assertThat(alerts).hasSameSizeAs(byId);
        for (int i = 0; i < byId.size(); i++) {
            Expected e = byId.get(i);
            Alert a = alerts.get(i);
            String day = "2026-03-01T";
            assertThat(a.alertId()).as("alert %d id", i).isEqualTo(e.id());
            assertThat(a.ruleId()).as(e.id()).isEqualTo(e.rule());
            assertThat(a.severity()).as(e.id()).isEqualTo(e.severity());
            assertThat(a.app()).as(e.id()).isEqualTo("app-1");
            assertThat(a.group()).as(e.id()).isEqualTo(e.group());
            assertThat(a.windowStart()).as(e.id()).isEqualTo(Instant.parse(day + e.windowStart() + "Z"));
            assertThat(a.windowEnd()).as(e.id()).isEqualTo(Instant.parse(day + e.windowEnd() + "Z"));
            assertThat(a.firstSeen()).as(e.id()).isEqualTo(Instant.parse(day + e.firstSeen() + "Z"));
            assertThat(a.lastSeen()).as(e.id()).isEqualTo(Instant.parse(day + e.lastSeen() + "Z"));
            assertThat(a.count()).as(e.id()).isEqualTo(e.count());
            assertThat(a.device()).as(e.id()).isEqualTo(e.device());
            assertThat(a.evidence()).as(e.id()).containsExactlyElementsOf(e.evidence());
        }
    }

    @Test
    void theFixtureGivesTheAlertsWorkedOutByHand() throws Exception {
        assertAsWorkedOutByHand(runBounded(LOGS));
        assertAsWorkedOutByHand(runBounded(DetectionFixtures.shuffled(LOGS, 300, 11)));
        assertAsWorkedOutByHand(expected());
    }

    static List<Alert> expected() {
        List<Alert> a = LocalEvaluator.evaluate(LOGS, Normalizer.defaults(), RULES, DetectionSettings.defaults());
        a.sort(Comparator.comparing(Alert::alertId));
        return a;
    }

    static List<Alert> runBounded(List<LogRecord> arrival) throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<LogRecord> logs = env.fromData(arrival, LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(watermarks());
        List<Alert> out = new ArrayList<>();
        try (CloseableIterator<Alert> it = DetectionPipeline.apply(logs, Normalizer.defaults(), RULES,
                DetectionSettings.defaults()).executeAndCollect("detect")) {
            it.forEachRemaining(out::add);
        }
        out.sort(Comparator.comparing(Alert::alertId));
        return out;
    }

    @Test
    void sortedAndShuffledRunsGiveTheSameAlertsAsTheLocalEvaluator() throws Exception {
        List<Alert> expected = expected();
        // generate: true on brute-force-success lets the rules it uses (brute-force, login-ok) alert too
        assertThat(expected).extracting(Alert::ruleId).containsExactlyInAnyOrder(
                "brute-force", "brute-force", "brute-force", "brute-force-success", "login-ok", "root-detected",
                "root-detected");
        assertThat(runBounded(LOGS)).isEqualTo(expected);
        assertThat(runBounded(DetectionFixtures.shuffled(LOGS, 300, 11))).isEqualTo(expected);
    }

    // --- exactly once across a failure ---------------------------------------------------------


    @Test
    void alertsAreWrittenExactlyOnceAcrossAFailure(@TempDir Path dir) throws Exception {
        FailOnceAfterCheckpoint.reset();
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        List<LogRecord> arrival = DetectionFixtures.shuffled(LOGS, 300, 5);
        DataGeneratorSource<LogRecord> source = new DataGeneratorSource<>(new ListGenerator<>(arrival), arrival.size(),
                RateLimiterStrategy.perSecond(300), LogRecordTypeInfo.INSTANCE);
        DataStream<LogRecord> logs = env.fromSource(source, watermarks(), "logs")
                .map(new FailOnceAfterCheckpoint<>(100), LogRecordTypeInfo.INSTANCE);
        String out = dir.resolve("alerts").toString();
        DetectionPipeline.apply(logs, Normalizer.defaults(), RULES, DetectionSettings.defaults())
                .sinkTo(AlertSinks.jsonLinesFile(out));
        env.execute("exactly-once");

        assertThat(FailOnceAfterCheckpoint.failed()).as("the failure was injected").isTrue();
        Map<String, Integer> seen = new HashMap<>();
        List<Alert> written = new ArrayList<>();
        for (String line : committedLines(dir.resolve("alerts"))) {
            Alert a = AlertJson.fromJson(line);
            written.add(a);
            seen.merge(a.alertId(), 1, Integer::sum);
        }
        assertThat(seen).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        written.sort(Comparator.comparing(Alert::alertId));
        assertThat(written).isEqualTo(expected());
        assertAsWorkedOutByHand(written);
    }

    /** Lines of committed part files; in-progress and pending files start with a dot. */
    static List<String> committedLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList()) {
                Files.readAllLines(p).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        }
        return lines;
    }
}
