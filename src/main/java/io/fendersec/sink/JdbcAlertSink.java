package io.fendersec.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import io.fendersec.model.Alert;

/**
 * Alerts into PostgreSQL (the alert store): at least once, an upsert on {@code alert_id}. Batches
 * are flushed on every checkpoint, and what a restored job sends again lands on the same rows, so
 * the table holds each alert exactly once. A row the store refuses for its content goes to the
 * dead-letter file and the rest of its batch is written ({@link AlertStoreWriter}); Flink's JDBC
 * connector fails the whole job on one such row.
 */
public final class JdbcAlertSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;

    private final JdbcSinkSettings settings;

    private JdbcAlertSink(JdbcSinkSettings settings) {
        this.settings = settings;
    }

    public static JdbcAlertSink create(JdbcSinkSettings settings) {
        return new JdbcAlertSink(settings);
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
        return new AlertStoreWriter(settings, context);
    }
}
