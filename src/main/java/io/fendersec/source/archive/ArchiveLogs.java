package io.fendersec.source.archive;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

import io.fendersec.api.LogLine;
import io.fendersec.api.ResponseLimits;
import io.fendersec.model.LogRecord;

/**
 * Archive lines to the logs of the hunt: parsed by the API client's own parser (the archive
 * holds what the API returned), kept when their device time lies in [from, to) and their app is
 * asked for. What is not kept is counted, never silently lost: lines that are no log (cut, not
 * JSON, a raw control character, nested too deep), lines over the limit, compressed files cut
 * short, logs without a usable time, logs outside the range. The counts reach the run's summary
 * as accumulators named {@link ArchiveSource#SKIPPED_PREFIX}... .
 */
final class ArchiveLogs extends RichFlatMapFunction<byte[], LogRecord> {
    private static final long serialVersionUID = 1L;

    private final long from;
    private final long to;
    private final List<String> apps;
    private final int maxLineBytes;

    private transient LogLine parser;
    private transient Set<String> keep;
    private transient LongCounter notLogs;
    private transient LongCounter tooLong;
    private transient LongCounter cutShort;
    private transient LongCounter noTime;
    private transient LongCounter outside;

    ArchiveLogs(Instant from, Instant to, List<String> apps, int maxLineBytes) {
        this.from = from.toEpochMilli();
        this.to = to.toEpochMilli();
        this.apps = List.copyOf(apps);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void open(OpenContext context) {
        // One line, one log: the line limit is the document limit, and nesting is held to the API's default.
        parser = LogLine.under(ResponseLimits.of(Math.max(maxLineBytes, 1024), maxLineBytes,
                ResponseLimits.DEFAULT_MAX_JSON_DEPTH));
        keep = apps.isEmpty() ? null : new HashSet<>(apps);
        notLogs = counter(ArchiveSource.NOT_LOGS);
        tooLong = counter(ArchiveSource.TOO_LONG);
        cutShort = counter(ArchiveSource.CUT_SHORT);
        noTime = counter(ArchiveSource.NO_TIME);
        outside = counter(ArchiveSource.OUTSIDE);
    }

    private LongCounter counter(String name) {
        LongCounter c = new LongCounter();
        getRuntimeContext().addAccumulator(ArchiveSource.SKIPPED_PREFIX + name, c);
        return c;
    }

    @Override
    public void flatMap(byte[] line, Collector<LogRecord> out) {
        if (ArchiveLineFormat.isMarker(line)) {
            (line[1] == ArchiveLineFormat.TOO_LONG[1] ? tooLong : cutShort).add(1L);
            return;
        }
        LogRecord log;
        try {
            log = parser.parse(line, 0, line.length);
        } catch (IOException | RuntimeException notALog) {
            notLogs.add(1L);
            return;
        }
        if (keep != null && !keep.contains(log.app())) {
            return; // another app's: not asked for, not damage
        }
        Instant time = log.time();
        if (time == null) {
            noTime.add(1L);
            return;
        }
        long t = time.toEpochMilli();
        if (t < from || t >= to) {
            outside.add(1L);
            return;
        }
        out.collect(log);
    }
}
