package io.fendersec.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;
import io.fendersec.model.AttackTags;

/** Binds an alert to {@link AlertStoreSchema#upsert()}'s parameters, in {@link AlertStoreSchema#COLUMNS} order. */
final class AlertRowBinder implements JdbcStatementBuilder<Alert> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(PreparedStatement ps, Alert a) throws SQLException {
        Connection c = ps.getConnection();
        int i = 1;
        ps.setString(i++, a.alertId());
        ps.setString(i++, a.ruleId());
        ps.setString(i++, a.kind());
        ps.setString(i++, a.title());
        ps.setString(i++, a.severity());
        ps.setString(i++, a.app());
        ps.setString(i++, AlertJson.toNode(a).get("group").toString());
        ps.setTimestamp(i++, ts(a.windowStart()));
        ps.setTimestamp(i++, ts(a.windowEnd()));
        ps.setTimestamp(i++, ts(a.firstSeen()));
        ps.setTimestamp(i++, ts(a.lastSeen()));
        ps.setLong(i++, a.count());
        ps.setArray(i++, texts(c, a.evidence()));
        if (a.device() == null) {
            ps.setNull(i++, Types.VARCHAR);
        } else {
            ps.setString(i++, a.device());
        }
        ps.setArray(i++, texts(c, a.tags()));
        ps.setArray(i++, texts(c, a.references()));
        AttackTags attack = a.attack();
        ps.setArray(i++, texts(c, attack.tactics()));
        ps.setArray(i++, texts(c, attack.techniques()));
        // NULL for a sink with evidence: ids, whose alerts carry no logs
        JsonNode logs = a.evidenceLogs().isEmpty() ? null : AlertJson.toNode(a).get("evidence_logs");
        if (logs == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, logs.toString());
        }
    }

    // java.sql.Timestamp of an epoch instant: timestamptz stores the instant, whatever the zone.
    private static Timestamp ts(Instant t) {
        return Timestamp.from(t);
    }

    private static java.sql.Array texts(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }
}
