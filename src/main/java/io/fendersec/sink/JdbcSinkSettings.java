package io.fendersec.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.auth.SecretRef;
import io.fendersec.model.Alert;

/** {@code type: jdbc}: the PostgreSQL alert store ({@link JdbcAlertSink}); the password stays a reference. */
public record JdbcSinkSettings(String url, String user, SecretRef password, String table, int batchSize,
        Duration batchInterval, String deadLetters) implements AlertSinkSettings, Serializable {
    public static final String DEFAULT_TABLE = AlertStoreSchema.DEFAULT_TABLE;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofSeconds(1);

    public JdbcSinkSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        table = table == null ? DEFAULT_TABLE : table;
        batchInterval = batchInterval == null ? DEFAULT_BATCH_INTERVAL : batchInterval;
        batchSize = batchSize <= 0 ? DEFAULT_BATCH_SIZE : batchSize;
        deadLetters = deadLetters == null ? DeadLetters.DEFAULT_DIR : deadLetters;
    }

    /** With the default dead-letter folder. */
    public JdbcSinkSettings(String url, String user, SecretRef password, String table, int batchSize,
            Duration batchInterval) {
        this(url, user, password, table, batchSize, batchInterval, null);
    }

    @Override
    public AlertSinkType type() {
        return AlertSinkType.JDBC;
    }

    @Override
    public DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid) {
        return alerts.sinkTo(JdbcAlertSink.create(this)).name(uid).uid(uid);
    }
}
