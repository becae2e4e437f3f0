package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;
import io.fendersec.sink.AlertJson;
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
