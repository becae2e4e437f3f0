package io.fendersec.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.model.Alert;

/**
 * Writes alerts to the alert store in batches (upserts on {@code alert_id}), flushed when full,
 * every {@code batch-interval}, and before every checkpoint (at least once; a replay lands on the same
 * rows). A batch the server refuses for a row's content (SQLState class 22 data exception or 23
 * integrity constraint) is written again row by row, each in its own transaction: the rows it takes
 * land, each refused one goes to the {@link DeadLetters dead-letter file} with a one-line WARN and
 * the {@code deadLetters} counter. Any other failure (connection, permissions, a missing table) is
 * the sink failing: it is thrown, and the restart strategy ends a job whose sink keeps failing.
 */
final class AlertStoreWriter implements SinkWriter<Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertStoreWriter.class);

    private final JdbcSinkSettings settings;
    private final AlertStoreConnectionProvider connections;
    private final String upsert;
    private final Path deadLetterFile;
    private final ProcessingTimeService time;
    private final Counter deadLetters;
    private final List<Alert> batch = new ArrayList<>();
    private boolean timerSet;

    AlertStoreWriter(JdbcSinkSettings settings, WriterInitContext context) {
        this.settings = settings;
        this.connections = new AlertStoreConnectionProvider(settings);
        this.upsert = new AlertStoreSchema(settings.table()).upsert();
        this.deadLetterFile = new DeadLetters(settings.deadLetters()).file("alerts-jdbc-" + settings.table(),
                context.getTaskInfo().getIndexOfThisSubtask());
        this.time = context.getProcessingTimeService();
        this.deadLetters = context.metricGroup().counter("deadLetters");
    }

    @Override
    public void write(Alert alert, Context context) throws IOException {
        batch.add(alert);
        if (batch.size() >= settings.batchSize()) {
            flush(false);
        } else if (!timerSet) {
            timerSet = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.batchInterval().toMillis(), t -> {
                timerSet = false;
                flush(false);
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            Connection c = connections.getOrEstablishConnection();
            try {
                writeBatch(c, batch);
            } catch (SQLException e) {
                rollback(c);
                if (!refusedForContent(e)) {
                    throw e;
                }
                for (Alert a : batch) {
                    writeOne(c, a);
                }
            }
        } catch (SQLException e) {
            connections.closeConnection();
            throw new IOException("the alert store (" + settings.url() + ", table " + settings.table() + ") failed: "
                    + firstLine(e), e);
        }
        batch.clear();
    }

    private void writeBatch(Connection c, List<Alert> alerts) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(upsert)) {
            AlertRowBinder binder = new AlertRowBinder();
            for (Alert a : alerts) {
                binder.accept(ps, a);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
    }

    private void writeOne(Connection c, Alert a) throws SQLException, IOException {
        try {
            writeBatch(c, List.of(a));
        } catch (SQLException e) {
            rollback(c);
            if (!refusedForContent(e)) {
                throw e;
            }
            String reason = "SQLState " + e.getSQLState() + ": " + firstLine(e);
            DeadLetters.write(deadLetterFile, a, reason);
            deadLetters.inc();
            LOG.warn("The alert store refused alert {} of rule {} ({}); written to {}", a.alertId(), a.ruleId(),
                    reason, deadLetterFile);
        }
    }

    /** Class 22 (data exception) or 23 (integrity constraint violation): the row, not the store. */
    static boolean refusedForContent(SQLException e) {
        SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        String state = cause.getSQLState() != null ? cause.getSQLState() : e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The server's message without its detail lines (which quote the row: device text, secrets). */
    private static String firstLine(SQLException e) {
        SQLException c = e.getNextException() != null ? e.getNextException() : e;
        String m = String.valueOf(c.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next flush reconnects or fails
        }
    }

    @Override
    public void close() throws Exception {
        connections.closeConnection();
    }
}
