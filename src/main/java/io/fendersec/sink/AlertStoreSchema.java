package io.fendersec.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert store's SQL: the schema ({@code alert-store.sql}, documented in docs/alert-delivery.md)
 * and the upsert. Table names are checked by the job-spec reader to be plain identifiers, which
 * is what makes splicing them into SQL safe.
 */
public final class AlertStoreSchema {
    public static final String DEFAULT_TABLE = "fendersec_alerts";
    static final String RESOURCE = "alert-store.sql";

    /** Columns the sink writes, in the upsert's parameter order. */
    static final List<String> COLUMNS = List.of("alert_id", "rule_id", "kind", "title", "severity", "app", "\"group\"",
            "window_start", "window_end", "first_seen", "last_seen", "count", "evidence", "device", "tags",
            "\"references\"", "attack_tactics", "attack_techniques", "evidence_logs");

    /** Columns bound as JSON text and cast. */
    private static final List<String> JSONB = List.of("\"group\"", "evidence_logs");

    private final String table;

    public AlertStoreSchema(String table) {
        this.table = table;
    }

    /** The DDL statements for this table name. */
    public List<String> ddl() {
        String bare = table.substring(table.indexOf('.') + 1);
        String sql = resource()
                .replaceAll("\\bfendersec_alerts_(\\w+_idx)\\b", bare + "_$1")
                .replaceAll("\\bfendersec_alerts\\b", table);
        List<String> out = new ArrayList<>();
        for (String stmt : stripComments(sql).split(";")) {
            if (!stmt.isBlank()) {
                out.add(stmt.trim());
            }
        }
        return out;
    }

    /**
     * One row per alert id. A re-emitted alert (more evidence, a later last_seen) replaces the
     * row; a replayed older version (after a restore, the job re-sends what it sent since the
     * last checkpoint) does not overwrite a newer one, hence the WHERE on last_seen and count.
     */
    public String upsert() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" AS t (")
                .append(String.join(", ", COLUMNS)).append(") VALUES (");
        for (int i = 0; i < COLUMNS.size(); i++) {
            String col = COLUMNS.get(i);
            sql.append(i > 0 ? ", " : "").append(JSONB.contains(col) ? "CAST(? AS jsonb)" : "?");
        }
        sql.append(") ON CONFLICT (alert_id) DO UPDATE SET ");
        for (int i = 1; i < COLUMNS.size(); i++) {
            sql.append(COLUMNS.get(i)).append(" = EXCLUDED.").append(COLUMNS.get(i)).append(", ");
        }
        sql.append("updated_at = now() WHERE (t.last_seen, t.count) <= (EXCLUDED.last_seen, EXCLUDED.count)");
        return sql.toString();
    }

    /**
     * Creates the table and indexes if absent. Parallel writers connect at the same moment, and
     * concurrent CREATE ... IF NOT EXISTS can still collide in PostgreSQL's catalog, so they
     * take a transaction-scoped advisory lock first.
     */
    public void createIfAbsent(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + table.hashCode() + ")");
            for (String stmt : ddl()) {
                s.execute(stmt);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static String resource() {
        try (InputStream in = AlertStoreSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripComments(String sql) {
        return sql.replaceAll("--[^\n]*", "");
    }
}
