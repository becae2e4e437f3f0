package io.fendersec.sink;

import java.io.OutputStream;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import io.fendersec.model.LogRecord;

/**
 * The raw-log archive: one API record per line, as the API returned it, in files that become
 * visible only when committed (at a checkpoint or at the end of a bounded input). A restart
 * resumes from the last checkpoint and discards uncommitted parts, so no log is lost or repeated.
 */
public final class ArchiveSink {
    private ArchiveSink() {}

    public static FileSink<LogRecord> create(String folder) {
        return FileSink.forRowFormat(new Path(folder), (Encoder<LogRecord>) ArchiveSink::encode)
                // Rolling on checkpoints is what makes the output exactly-once.
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("logs").withPartSuffix(".jsonl").build())
                .build();
    }

    private static void encode(LogRecord record, OutputStream out) throws java.io.IOException {
        LogRecordJson.writeLine(record, out);
    }
}
