package io.fendersec.detect.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * The {@code logs} table SQL rules query: one column per Bugfender API field under the API's name
 * (dotted names are quoted in SQL: {@code `device.udid`}), the normalizer's extracted fields as
 * {@code fields MAP<STRING, STRING>}, and {@code ts TIMESTAMP_LTZ(3)}, the event-time attribute,
 * taken from the stream's record timestamps with the stream's own watermarks.
 *
 * <p>Rows are typed explicitly ({@link RowTypeInfo}), so nothing on the way falls back to Kryo.
 */
public final class LogsTable {
    public static final String NAME = "logs";

    /** API fields that are not text: everything else is STRING, as the API's values print. */
    private static final Map<String, TypeInformation<?>> TYPED = Map.of(
            LogFields.LOG_LEVEL, Types.INT,
            LogFields.ABSOLUTE_TIME, Types.LONG);

    /** The API fields, in the order of docs/bugfender-api.md. */
    static final List<String> API_FIELDS = List.of(LogFields.UUID, LogFields.APP, LogFields.DEVICE_UDID,
            LogFields.DEVICE_NAME, LogFields.DEVICE_TYPE, LogFields.VERSION, LogFields.BUILD, LogFields.LANGUAGE,
            LogFields.OS_VERSION, LogFields.TIMEZONE, LogFields.TEXT, LogFields.METHOD, LogFields.FILE,
            LogFields.LINE, LogFields.LOG_LEVEL, LogFields.TAG, LogFields.TIME, LogFields.ABSOLUTE_TIME,
            LogFields.THREAD_ID, LogFields.THREAD_NAME, LogFields.URL, LogFields.TYPE, LogFields.ISSUE_ID,
            LogFields.ISSUE_TITLE, LogFields.KEY_VALUE_KEY, LogFields.KEY_VALUE_VALUE, LogFields.GAP_START,
            LogFields.GAP_END);

    public static final String FIELDS = "fields";
    public static final String TS = "ts";

    static final RowTypeInfo ROW_TYPE = rowType();

    private LogsTable() {}

    private static RowTypeInfo rowType() {
        List<TypeInformation<?>> types = new ArrayList<>();
        List<String> names = new ArrayList<>(API_FIELDS);
        for (String f : API_FIELDS) {
            types.add(TYPED.getOrDefault(f, Types.STRING));
        }
        types.add(Types.MAP(Types.STRING, Types.STRING));
        names.add(FIELDS);
        return new RowTypeInfo(types.toArray(new TypeInformation<?>[0]), names.toArray(new String[0]));
    }

    /**
     * Registers {@code logs} in {@code tEnv}. {@code logs} must carry event-time timestamps and
     * watermarks (the job assigns them once, for Sigma and SQL alike).
     */
    public static Table register(StreamTableEnvironment tEnv, DataStream<LogRecord> logs, Normalizer normalizer) {
        return register(tEnv, logs.map(new ToRow(normalizer), ROW_TYPE)
                .name("sql: normalize to rows").uid("fendersec-sql-logs-rows"));
    }

    /**
     * Registers logs normalized upstream (by the Sigma rules' operator, see
     * {@code DetectionPipeline.Streams#normalizedLogs}), so that a job with both engines
     * normalizes each log once. The same timestamps and watermarks rules apply.
     */
    public static Table registerNormalized(StreamTableEnvironment tEnv, DataStream<NormalizedLog> logs) {
        return register(tEnv, logs.map(new NormalizedToRow(), ROW_TYPE)
                .name("sql: normalized logs to rows").uid("fendersec-sql-logs-rows"));
    }

    private static Table register(StreamTableEnvironment tEnv, DataStream<Row> rows) {
        Table table = tEnv.fromDataStream(rows, Schema.newBuilder()
                .columnByMetadata(TS, DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark(TS, "SOURCE_WATERMARK()")
                .build());
        tEnv.createTemporaryView(NAME, table);
        return table;
    }

    /** A log as a row of the table, normalized here. */
    static final class ToRow implements MapFunction<LogRecord, Row> {
        private static final long serialVersionUID = 1L;
        private final Normalizer normalizer;

        ToRow(Normalizer normalizer) {
            this.normalizer = normalizer;
        }

        @Override
        public Row map(LogRecord r) {
            return row(r, normalizer.normalize(r).extracted());
        }
    }

    /** A normalized log as a row of the table: its record and every extracted field. */
    static final class NormalizedToRow implements MapFunction<NormalizedLog, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Row map(NormalizedLog log) {
            return row(log.record(), log.extracted());
        }
    }

    /** The row of a log; values keep their API text, numbers parse where typed. */
    static Row row(LogRecord r, Map<String, String> extracted) {
        Row row = new Row(API_FIELDS.size() + 1);
        for (int i = 0; i < API_FIELDS.size(); i++) {
            String f = API_FIELDS.get(i);
            if (f.equals(LogFields.LOG_LEVEL)) {
                int level = r.logLevel();
                row.setField(i, level < 0 ? null : level);
            } else if (f.equals(LogFields.ABSOLUTE_TIME)) {
                row.setField(i, r.has(f) ? r.absoluteTime() : null);
            } else {
                row.setField(i, r.getString(f));
            }
        }
        row.setField(API_FIELDS.size(), new HashMap<>(extracted));
        return row;
    }
}
