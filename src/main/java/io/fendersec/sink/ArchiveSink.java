package io.fendersec.sink;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import io.fendersec.model.LogRecord;

/**
 * The raw-log archive: JSON lines ({@link LogRecordJsonEncoder}) under {@code <path>/app=<id>/},
 * written by Flink's FileSink. Part files roll on every checkpoint and become visible (lose their
 * leading dot) only when that checkpoint completes, or at the end of a bounded input, so a restart
 * neither loses nor repeats a log. Hidden files ({@code .part-*}) are in progress: readers skip them.
 */
public final class ArchiveSink {
    private ArchiveSink() {}

    public static FileSink<LogRecord> create(String path) {
        return FileSink.forRowFormat(new Path(path), new LogRecordJsonEncoder())
                .withBucketAssigner(new ByApp())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("logs").withPartSuffix(".jsonl").build())
                .build();
    }

    /** One folder per app, so an app's archive can be handed over or deleted alone. */
    static final class ByApp implements BucketAssigner<LogRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(LogRecord log, Context context) {
            String app = log.app();
            return "app=" + (app == null ? "unknown" : app.replaceAll("[^A-Za-z0-9._-]", "_"));
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
