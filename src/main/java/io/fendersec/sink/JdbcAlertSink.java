package io.fendersec.sink;

import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import io.fendersec.model.Alert;

/**
 * Alerts into PostgreSQL (the alert store): an at-least-once {@link JdbcSink} whose statement is
 * an upsert on {@code alert_id}. Batches are flushed on every checkpoint, and what a restored job
 * sends again lands on the same rows, so the table holds each alert exactly once.
 */
public final class JdbcAlertSink {
    private JdbcAlertSink() {}

    public static JdbcSink<Alert> create(JdbcSinkSettings settings) {
        return JdbcSink.<Alert>builder()
                .withQueryStatement(new AlertStoreSchema(settings.table()).upsert(), new AlertRowBinder())
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(settings.batchSize())
                        .withBatchIntervalMs(settings.batchInterval().toMillis())
                        .withMaxRetries(3)
                        .build())
                .buildAtLeastOnce(new AlertStoreConnectionProvider(settings));
    }
}
