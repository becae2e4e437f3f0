package io.fendersec.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import io.fendersec.model.Alert;

/** Alert sinks. */
public final class AlertSinks {
    private AlertSinks() {}

    /**
     * JSON lines under {@code dir}, one alert per line. Part files roll and commit on checkpoints
     * only, so a restarted job neither loses nor repeats committed alerts (exactly once). Files
     * still in progress start with a dot.
     */
    public static FileSink<Alert> jsonLinesFile(String dir) {
        return jsonLinesFile(dir, AlertFormat.JSON);
    }

    /** Like {@link #jsonLinesFile(String)}, each line in {@code format} (the job spec's {@code format:}). */
    public static FileSink<Alert> jsonLinesFile(String dir, AlertFormat format) {
        return jsonLinesFile(dir, format, false);
    }

    /**
     * Like {@link #jsonLinesFile(String, AlertFormat)}; with {@code ownerOnly} (the job's
     * {@code permissions: private}, the default) folders are 0700 and files 0600 on POSIX file
     * systems ({@link OwnerOnlyAlertFiles}), else the process umask decides.
     */
    public static FileSink<Alert> jsonLinesFile(String dir, AlertFormat format, boolean ownerOnly) {
        if (!ownerOnly) {
            return FileSink.forRowFormat(new Path(dir), (Encoder<Alert>) new JsonLinesEncoder(format))
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .build();
        }
        return FileSink.forRowFormat(new Path(dir),
                        (Encoder<Alert>) new OwnerOnlyAlertFiles.Files(new JsonLinesEncoder(format), dir))
                .withBucketAssigner(new OwnerOnlyAlertFiles.Buckets(dir))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
    }

    static final class JsonLinesEncoder implements Encoder<Alert> {
        private static final long serialVersionUID = 1L;

        private final AlertFormat format;

        JsonLinesEncoder(AlertFormat format) {
            this.format = format;
        }

        @Override
        public void encode(Alert alert, OutputStream out) throws IOException {
            out.write(format.render(alert).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }
}
