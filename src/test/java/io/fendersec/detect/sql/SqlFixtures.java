package io.fendersec.detect.sql;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/** Logs made for the sample SQL rules, and a bounded MiniCluster run of SQL rules over them. */
final class SqlFixtures {
    static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
    static final Path SAMPLES = Path.of("sql");

    private SqlFixtures() {}

    static LogRecord log(String uuid, String app, String udid, String model, String version, int level, Instant time,
                         String text) {
        return LogRecord.builder().put(LogFields.UUID, uuid).put(LogFields.APP, app).put(LogFields.DEVICE_UDID, udid)
                .put(LogFields.DEVICE_TYPE, model).put(LogFields.VERSION, version).put(LogFields.LOG_LEVEL, level)
                .put(LogFields.TIME, time.toString()).put(LogFields.ABSOLUTE_TIME, time.toEpochMilli())
                .put(LogFields.TEXT, text).build();
    }

    static LogRecord login(String uuid, String udid, String model, String user, Instant time, boolean ok) {
        return log(uuid, "app-1", udid, model, "1.0", 4, time,
                ok ? "Login succeeded for user=" + user : "Login failed for user=" + user);
    }

    static StreamExecutionEnvironment env() {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(2);
        return env;
    }

    static WatermarkStrategy<LogRecord> watermarks() {
        return WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(Duration.ofMinutes(5))
                .withTimestampAssigner((r, ts) -> r.time().toEpochMilli());
    }

    /** Runs {@code files} over {@code logs} (bounded: every window fires at the end) and collects the alerts. */
    static List<Alert> run(List<LogRecord> logs, List<Path> files) throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<LogRecord> in = env.fromData(logs, LogRecordTypeInfo.INSTANCE).assignTimestampsAndWatermarks(
                watermarks());
        List<Alert> out = new ArrayList<>();
        try (CloseableIterator<Alert> it = SqlRules.apply(env, in, Normalizer.defaults(), files,
                DetectionSettings.defaults()).executeAndCollect("sql rules")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
