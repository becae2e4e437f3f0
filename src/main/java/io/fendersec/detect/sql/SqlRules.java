package io.fendersec.detect.sql;

import static org.apache.flink.table.api.Expressions.$;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.expressions.Expression;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.apache.flink.types.Row;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * SQL rules: each {@code .sql} file is one Flink SQL query over the {@code logs} table
 * ({@link LogsTable}); its result rows become alerts ({@link AlertColumns}, {@link RowToAlert})
 * with ids derived like the Sigma engine's, then pass the same kind of episode suppression
 * ({@link SqlEpisodes}). See docs/rules.md, "SQL rules".
 */
public final class SqlRules {
    private SqlRules() {}

    /**
     * Adds the SQL rules to a job. {@code logs} must carry event-time timestamps and watermarks;
     * the {@code logs} table takes both from it. Every query is parsed, validated and planned
     * here, so a bad file fails before the job starts.
     *
     * @param sqlFiles at least one file
     * @return the alerts of all files, suppressed per (rule, app, group) with
     *         {@code settings.suppression()}, evidence capped at {@code settings.evidenceCap()}
     * @throws ConfigException naming the file, for a file that cannot be read, parsed, validated
     *                         or planned, or whose result columns do not map to an alert
     */
    public static DataStream<Alert> apply(StreamExecutionEnvironment env, DataStream<LogRecord> logs,
                                          Normalizer normalizer, List<Path> sqlFiles, DetectionSettings settings) {
        if (sqlFiles.isEmpty()) {
            throw new IllegalArgumentException("no SQL rule files");
        }
        List<SqlRuleFile> rules = SqlRuleFile.readAll(sqlFiles);
        StreamTableEnvironment tEnv = tableEnvironment(env);
        LogsTable.register(tEnv, logs, normalizer);
        return alerts(tEnv, rules, settings);
    }

    /**
     * Like {@link #apply(StreamExecutionEnvironment, DataStream, Normalizer, List, DetectionSettings)},
     * over logs already normalized (the Sigma rules' operator passes them on:
     * {@code DetectionPipeline.Streams#normalizedLogs}), so that a job running both engines
     * normalizes each log once. Same timestamps, watermarks and alerts.
     */
    public static DataStream<Alert> applyToNormalized(StreamExecutionEnvironment env, DataStream<NormalizedLog> logs,
                                                      List<Path> sqlFiles, DetectionSettings settings) {
        if (sqlFiles.isEmpty()) {
            throw new IllegalArgumentException("no SQL rule files");
        }
        List<SqlRuleFile> rules = SqlRuleFile.readAll(sqlFiles);
        StreamTableEnvironment tEnv = tableEnvironment(env);
        LogsTable.registerNormalized(tEnv, logs);
        return alerts(tEnv, rules, settings);
    }

    private static StreamTableEnvironment tableEnvironment(StreamExecutionEnvironment env) {
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        // TIMESTAMP results (window_start, window_end of window TVFs) are wall-clock values in the
        // session zone: fix it to UTC so they read back as the same instants on any machine.
        tEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        return tEnv;
    }

    private static DataStream<Alert> alerts(StreamTableEnvironment tEnv, List<SqlRuleFile> rules,
                                            DetectionSettings settings) {
        DataStream<Alert> all = null;
        for (SqlRuleFile rule : rules) {
            DataStream<Alert> alerts = alerts(tEnv, rule, settings);
            all = all == null ? alerts : all.union(alerts);
        }
        return all;
    }

    /**
     * Checks SQL rule files as {@link #apply} would (read, parse, validate, plan, map columns)
     * without running anything, for {@code fendersec validate}. Takes a few seconds: the planner
     * loads on first use.
     *
     * @return the rules, in file order
     * @throws ConfigException naming the first bad file
     */
    public static List<SqlRuleFile> validate(List<Path> sqlFiles) {
        List<SqlRuleFile> rules = SqlRuleFile.readAll(sqlFiles);
        if (rules.isEmpty()) {
            return rules;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LogRecord sample = LogRecord.builder().put(LogFields.UUID, "u").put(LogFields.APP, "a")
                .put(LogFields.TIME, Instant.EPOCH.toString()).build();
        DataStream<LogRecord> logs = env.fromData(List.of(sample), LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogRecord>forMonotonousTimestamps()
                        .withTimestampAssigner((r, ts) -> r.time().toEpochMilli()));
        apply(env, logs, Normalizer.defaults(), sqlFiles, DetectionSettings.defaults());
        return rules;
    }

    private static DataStream<Alert> alerts(StreamTableEnvironment tEnv, SqlRuleFile rule, DetectionSettings settings) {
        Table table;
        DataStream<Row> rows;
        try {
            table = tEnv.sqlQuery(rule.query());
        } catch (RuntimeException e) {
            throw new ConfigException(rule.where() + ": " + message(e), e);
        }
        AlertColumns cols = AlertColumns.of(table.getResolvedSchema(), rule.where());
        table = withoutTimeAttributes(table);
        try {
            // a changelog stream takes any query, append-only or updating; RowToAlert keeps
            // inserts and update-afters only
            rows = tEnv.toChangelogStream(table);
        } catch (RuntimeException e) {
            throw new ConfigException(rule.where() + ": cannot plan the query: " + message(e), e);
        }
        String id = rule.ruleId();
        return rows
                .flatMap(new RowToAlert(rule, cols, settings.evidenceCap()), AlertTypeInfoFactory.TYPE)
                .name("sql: " + id + " rows to alerts").uid("fendersec-sql-" + id + "-alerts")
                .keyBy(SqlEpisodes::key, Types.STRING)
                .process(new SqlEpisodes(settings.suppression().toMillis()), AlertTypeInfoFactory.TYPE)
                .name("sql: " + id + " suppress").uid("fendersec-sql-" + id + "-suppress");
    }

    /**
     * The table with its event-time columns cast to plain timestamps. A changelog stream can carry
     * only one rowtime, but a rule may well return {@code ts AS first_seen, ts AS last_seen}; the
     * alerts need the values, not the record timestamp (SqlEpisodes orders by the values).
     */
    private static Table withoutTimeAttributes(Table table) {
        List<Column> cols = table.getResolvedSchema().getColumns();
        if (cols.stream().noneMatch(c -> LogicalTypeChecks.isTimeAttribute(c.getDataType().getLogicalType()))) {
            return table;
        }
        List<Expression> select = new ArrayList<>();
        for (Column c : cols) {
            LogicalType t = c.getDataType().getLogicalType();
            if (!LogicalTypeChecks.isTimeAttribute(t)) {
                select.add($(c.getName()));
            } else if (t.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE)) {
                select.add($(c.getName()).cast(DataTypes.TIMESTAMP_LTZ(3)).as(c.getName()));
            } else {
                select.add($(c.getName()).cast(DataTypes.TIMESTAMP(3)).as(c.getName()));
            }
        }
        return table.select(select.toArray(new Expression[0]));
    }

    /** The planner's own words, first line of each distinct cause, without Java class names. */
    static String message(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                continue;
            }
            String first = m.strip().lines().findFirst().orElse("").strip();
            if (parts.stream().noneMatch(p -> p.contains(first) || first.contains(p))) {
                parts.add(first);
            }
        }
        return parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
    }
}
