package io.fendersec.source.archive;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

/**
 * The logs of a raw-log archive in [from, to), for a hunt: Flink's {@link FileSource} lists the
 * archive once (a bounded read), each file is one split, and the readers take files in parallel.
 *
 * <p>Event time: the archive sink writes one folder per app and, in it, one part file per
 * checkpoint in arrival order. No file is bound to a span of device time: a late upload sits
 * beside the logs that arrived with it, and one reader reads several files of the same hours in
 * turn. A watermark that advanced while reading would make every earlier-dated log of a later file
 * late (the API source learned this the hard way: see docs/benchmarks.md). So the hunt reads with
 * no watermark at all: each log carries its device time as its timestamp, no log is ever late,
 * and the end of the input (Flink's final watermark) closes every window in time order. The price
 * is that correlation windows are held until the end of the read; they hold only the hits of
 * correlated rules, within {@code rules.max-groups}.
 */
public final class ArchiveSource {
    /** Accumulators of what was not read as a log of the range, by reason; the run's summary prints them. */
    public static final String SKIPPED_PREFIX = "archive: ";
    static final String NOT_LOGS = "lines that are not a log, skipped";
    static final String TOO_LONG = "lines over source.archive.max-line-bytes, skipped";
    static final String CUT_SHORT = "compressed files cut short (read up to the cut)";
    static final String NO_TIME = "logs without a usable time, skipped";
    static final String OUTSIDE = "logs outside the range";

    private ArchiveSource() {}

    /** The archive's logs of [from, to), timestamped with their device time; throws ConfigException for a missing folder. */
    public static DataStream<LogRecord> read(StreamExecutionEnvironment env, ArchiveSettings settings, Instant from,
            Instant to) {
        Path dir = new Path(settings.dir());
        String scheme = dir.toUri().getScheme();
        if ((scheme == null || "file".equals(scheme)) && !Files.isDirectory(Paths.get(dir.toUri().getPath()))) {
            throw new ConfigException("source.archive.dir: " + settings.dir() + " is not a folder; name the folder a"
                    + " job's sinks.archive.path wrote");
        }
        ArchiveFiles files = new ArchiveFiles();
        FileSource<byte[]> source = FileSource.forRecordStreamFormat(new ArchiveLineFormat(settings.maxLineBytes()), dir)
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(files))
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "archive").uid("fendersec-archive-source")
                .flatMap(new ArchiveLogs(from, to, settings.apps(), settings.maxLineBytes())).returns(LogRecord.class)
                .name("archive logs in range").uid("fendersec-archive-logs")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogRecord>noWatermarks()
                        .withTimestampAssigner((log, ignored) -> log.time().toEpochMilli()))
                .name("device time").uid("fendersec-archive-time");
    }
}
