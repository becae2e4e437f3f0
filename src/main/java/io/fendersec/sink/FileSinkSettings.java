package io.fendersec.sink;

import java.util.Objects;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.model.Alert;

/**
 * {@code type: file}: JSON lines under {@code path}, committed on checkpoints
 * ({@link AlertSinks#jsonLinesFile(String, AlertFormat, boolean)}), each line in {@code format};
 * owner-only files and folders unless {@code permissions: umask} ({@code ownerOnly} false); an alert the
 * sink cannot write goes to {@code dead-letters} ({@link WritableAlerts}).
 */
public record FileSinkSettings(String path, AlertFormat format, boolean ownerOnly, String deadLetters)
        implements AlertSinkSettings {
    public FileSinkSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        deadLetters = deadLetters == null ? DeadLetters.DEFAULT_DIR : deadLetters;
    }

    /** Owner-only, the default. */
    public FileSinkSettings(String path, AlertFormat format) {
        this(path, format, true);
    }

    /** With the default dead-letter folder. */
    public FileSinkSettings(String path, AlertFormat format, boolean ownerOnly) {
        this(path, format, ownerOnly, null);
    }

    @Override
    public AlertSinkType type() {
        return AlertSinkType.FILE;
    }

    @Override
    public DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid) {
        // The gate is stateless: adding it (its own uid) keeps every savepoint restorable.
        return alerts.flatMap(new WritableAlerts(format, deadLetters, "alerts-file"))
                .returns(io.fendersec.model.AlertTypeInfoFactory.TYPE).name("alerts: file, writable").uid(uid + "-writable")
                .sinkTo(AlertSinks.jsonLinesFile(path, format, ownerOnly)).name("alerts: file").uid(uid);
    }
}
