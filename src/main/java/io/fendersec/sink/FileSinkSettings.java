package io.fendersec.sink;

import java.util.Objects;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.model.Alert;

/**
 * {@code type: file}: JSON lines under {@code path}, committed on checkpoints
 * ({@link AlertSinks#jsonLinesFile(String, AlertFormat, boolean)}), each line in {@code format};
 * owner-only files and folders unless {@code permissions: umask} ({@code ownerOnly} false).
 */
public record FileSinkSettings(String path, AlertFormat format, boolean ownerOnly) implements AlertSinkSettings {
    public FileSinkSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
    }

    /** Owner-only, the default. */
    public FileSinkSettings(String path, AlertFormat format) {
        this(path, format, true);
    }

    @Override
    public AlertSinkType type() {
        return AlertSinkType.FILE;
    }

    @Override
    public DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid) {
        return alerts.sinkTo(AlertSinks.jsonLinesFile(path, format, ownerOnly)).name("alerts: file").uid(uid);
    }
}
