package io.fendersec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/** {@code rules test --sql}: SQL rules over a file of logs, on a local MiniCluster, bounded. */
final class SqlRuleRun {
    private SqlRuleRun() {}

    static List<Alert> run(List<LogRecord> records, Normalizer normalizer, List<Path> sqlFiles,
                           DetectionSettings settings) {
        List<LogRecord> timed = records.stream().filter(r -> r.time() != null).toList();
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(1);
        // out-of-orderness = allowed lateness, so a file in any order gives the alerts of sorted input
        DataStream<LogRecord> logs = env.fromData(timed, LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(
                        settings.allowedLateness()).withTimestampAssigner((r, ts) -> r.time().toEpochMilli()));
        List<Alert> out = new ArrayList<>();
        try (CloseableIterator<Alert> it = SqlRules.apply(env, logs, normalizer, sqlFiles, settings)
                .executeAndCollect("fendersec rules test --sql")) {
            it.forEachRemaining(out::add);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("SQL rule run failed: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Alert::firstSeen).thenComparing(Alert::alertId));
        return out;
    }
}
