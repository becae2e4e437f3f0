package io.fendersec.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import io.fendersec.auth.SecretRef;

/** Settings of the PostgreSQL alert store ({@code type: jdbc}); the password stays a reference. */
public record JdbcSinkSettings(String url, String user, SecretRef password, String table, int batchSize,
        Duration batchInterval) implements Serializable {
    public JdbcSinkSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        table = table == null ? AlertStoreSchema.DEFAULT_TABLE : table;
        batchInterval = batchInterval == null ? Duration.ofSeconds(1) : batchInterval;
        batchSize = batchSize <= 0 ? 100 : batchSize;
    }
}
