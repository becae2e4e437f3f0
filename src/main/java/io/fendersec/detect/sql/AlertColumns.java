package io.fendersec.detect.sql;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import io.fendersec.error.ConfigException;

/**
 * Where a query's result columns go in an {@link io.fendersec.model.Alert}, checked against the
 * column types once, at planning time, so that a bad rule fails at start and not on its first row.
 *
 * <p>Column names (case-insensitive): {@code app title severity device} (any type, printed),
 * {@code window_start window_end first_seen last_seen} (TIMESTAMP or TIMESTAMP_LTZ, read as UTC),
 * {@code count} (a number), {@code evidence} (ARRAY&lt;STRING&gt; or a comma-separated string), and
 * {@code group_*}: the group key, named by the column name without {@code group_} and with
 * {@code __} read as {@code .} ({@code group_user__name} → {@code user.name}, {@code group_os_version}
 * → {@code os_version}); a backtick-quoted {@code `group_user.name`} works as well.
 */
record AlertColumns(int app, int title, int severity, int device, int windowStart, int windowEnd, int firstSeen,
                    int lastSeen, int count, int evidence, List<GroupColumn> group) implements Serializable {
    static final String GROUP_PREFIX = "group_";
    /** The alert columns in the order of the record's components. */
    static final List<String> NAMES = List.of("app", "title", "severity", "device", "window_start", "window_end",
            "first_seen", "last_seen", "count", "evidence");

    record GroupColumn(int index, String key) implements Serializable {}

    AlertColumns {
        group = List.copyOf(group);
    }

    /** The index of the column that starts an episode (and so fixes the alert id). */
    int episodeStart() {
        return windowStart >= 0 ? windowStart : firstSeen;
    }

    static String groupKey(String column) {
        return column.substring(GROUP_PREFIX.length()).replace("__", ".");
    }

    static AlertColumns of(ResolvedSchema schema, String where) {
        int[] idx = new int[NAMES.size()];
        Arrays.fill(idx, -1);
        List<GroupColumn> group = new ArrayList<>();
        List<Column> cols = schema.getColumns();
        for (int i = 0; i < cols.size(); i++) {
            String name = cols.get(i).getName();
            String lower = name.toLowerCase(Locale.ROOT);
            LogicalType type = cols.get(i).getDataType().getLogicalType();
            if (lower.startsWith(GROUP_PREFIX) && lower.length() > GROUP_PREFIX.length()) {
                group.add(new GroupColumn(i, groupKey(name)));
                continue;
            }
            int slot = NAMES.indexOf(lower);
            if (slot < 0) {
                throw new ConfigException(where + ": result column '" + name + "' is not an alert field (app, title, "
                        + "severity, device, window_start, window_end, first_seen, last_seen, `count`, evidence, "
                        + "group_*); rename it with AS, e.g. AS group_" + lower.replace('.', '_'));
            }
            if (idx[slot] >= 0) {
                throw new ConfigException(where + ": result column '" + name + "' appears twice");
            }
            check(lower, type, where);
            idx[slot] = i;
        }
        if (idx[0] < 0) {
            throw new ConfigException(where + ": the query must return an 'app' column (alerts are scoped by app)");
        }
        if (idx[4] < 0 && idx[6] < 0) {
            throw new ConfigException(where + ": the query must return 'window_start' or 'first_seen' "
                    + "(the episode start, part of the alert id)");
        }
        return new AlertColumns(idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], idx[6], idx[7], idx[8], idx[9],
                group);
    }

    private static void check(String column, LogicalType type, String where) {
        switch (column) {
            case "window_start", "window_end", "first_seen", "last_seen" -> {
                if (!type.is(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE)
                        && !type.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE)) {
                    throw new ConfigException(where + ": column '" + column + "' must be a TIMESTAMP or TIMESTAMP_LTZ, "
                            + "not " + type.asSummaryString());
                }
            }
            case "count" -> {
                if (!type.is(LogicalTypeFamily.NUMERIC)) {
                    throw new ConfigException(where + ": column 'count' must be a number, not " + type.asSummaryString());
                }
            }
            case "evidence" -> {
                boolean ok = type.is(LogicalTypeFamily.CHARACTER_STRING) || type.is(LogicalTypeRoot.ARRAY)
                        && ((ArrayType) type).getElementType().is(LogicalTypeFamily.CHARACTER_STRING);
                if (!ok) {
                    throw new ConfigException(where + ": column 'evidence' must be ARRAY<STRING> or a comma-separated "
                            + "STRING of log uuids, not " + type.asSummaryString());
                }
            }
            default -> { }
        }
    }
}
