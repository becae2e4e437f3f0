package io.fendersec.detect.sql;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import io.fendersec.model.Alert;

/**
 * A result row of a SQL rule as an {@link Alert}. Only inserts and update-afters become alerts:
 * a retraction or update-before withdraws a row the rule already reported, and an alert once
 * written stays written (the suppressor downstream drops the repeats under the same id).
 *
 * <p>Rows whose episode start or a {@code group_*} value is null are dropped and counted
 * ({@code sqlRowsDropped}): like Sigma correlations, a log without a group field does not count.
 */
final class RowToAlert extends RichFlatMapFunction<Row, Alert> {
    private static final long serialVersionUID = 1L;
    static final String KIND = "sql";

    private final SqlRuleFile rule;
    private final AlertColumns cols;
    private final int evidenceCap;
    private transient Counter dropped;

    RowToAlert(SqlRuleFile rule, AlertColumns cols, int evidenceCap) {
        this.rule = rule;
        this.cols = cols;
        this.evidenceCap = evidenceCap;
    }

    @Override
    public void open(OpenContext ctx) {
        dropped = getRuntimeContext().getMetricGroup().counter("sqlRowsDropped");
    }

    @Override
    public void flatMap(Row row, Collector<Alert> out) {
        Alert a = toAlert(row);
        if (a != null) {
            out.collect(a);
        } else if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
            dropped.inc();
        }
    }

    /** The alert for {@code row}, or null when the row is a retraction or lacks a needed value. */
    Alert toAlert(Row row) {
        if (row.getKind() != RowKind.INSERT && row.getKind() != RowKind.UPDATE_AFTER) {
            return null;
        }
        Long start = millis(row, cols.episodeStart());
        if (start == null) {
            return null;
        }
        Map<String, String> group = new LinkedHashMap<>();
        for (AlertColumns.GroupColumn g : cols.group()) {
            Object v = row.getField(g.index());
            if (v == null) {
                return null;
            }
            group.put(g.key(), v.toString());
        }
        String app = text(row, cols.app());
        long windowStart = orElse(millis(row, cols.windowStart()), start);
        long firstSeen = orElse(millis(row, cols.firstSeen()), windowStart);
        long windowEnd = Math.max(windowStart, orElse(millis(row, cols.windowEnd()),
                orElse(millis(row, cols.lastSeen()), windowStart)));
        long lastSeen = Math.max(firstSeen, orElse(millis(row, cols.lastSeen()), Math.max(windowEnd, firstSeen)));
        Object count = cols.count() < 0 ? null : row.getField(cols.count());
        String title = text(row, cols.title());
        String severity = text(row, cols.severity());
        severity = severity == null ? null : severity.toLowerCase(Locale.ROOT);
        return Alert.builder()
                .alertId(Alert.idFor(rule.ruleId(), app, group, start))
                .ruleId(rule.ruleId()).kind(KIND)
                .title(title == null ? rule.title() : title)
                .severity(severity != null && SqlRuleFile.SEVERITIES.contains(severity) ? severity : rule.severity())
                .app(app).group(group)
                .window(windowStart, windowEnd).seen(firstSeen, lastSeen)
                .count(count == null ? 1 : Math.max(0, ((Number) count).longValue()))
                .evidence(evidence(cols.evidence() < 0 ? null : row.getField(cols.evidence())))
                .device(text(row, cols.device()))
                .tags(rule.tags())
                .build();
    }

    private List<String> evidence(Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof Object[] arr) {
            for (Object o : arr) {
                add(out, o == null ? null : o.toString());
            }
        } else if (v != null) {
            for (String s : v.toString().split(",")) {
                add(out, s);
            }
        }
        return new ArrayList<>(out);
    }

    private void add(Set<String> out, String uuid) {
        if (uuid != null && !uuid.isBlank() && out.size() < evidenceCap) {
            out.add(uuid.strip());
        }
    }

    private static String text(Row row, int i) {
        Object v = i < 0 ? null : row.getField(i);
        return v == null ? null : v.toString();
    }

    /** TIMESTAMP columns arrive as LocalDateTime in the session time zone, which SqlRules fixes to UTC. */
    private static Long millis(Row row, int i) {
        Object v = i < 0 ? null : row.getField(i);
        if (v instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return null;
    }

    private static long orElse(Long v, long other) {
        return v == null ? other : v;
    }
}
