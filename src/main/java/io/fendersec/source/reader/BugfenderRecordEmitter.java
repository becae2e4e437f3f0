package io.fendersec.source.reader;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.model.LogRecord;
import io.fendersec.source.split.BugfenderSplitState;

/**
 * Emits logs and is the only thing that moves a split's position: after a log at index i of a page
 * the state is (page, i + 1), or (next page, 0) when that log was the last of a page the fetcher
 * moved on from.
 *
 * <p>Event time is the device {@code time}, bounded by what the reader saw: a log dated later than
 * the moment its page was fetched plus {@code maxClockSkew} is analyzed at that bound (the device
 * and its clock may be the attacker's: one log dated 2099 must not move event time to 2099 and make
 * every later log too late). The record itself keeps the claimed time. A log without a parseable
 * one gets its split's range start (it is kept, never dropped). Watermarks are split-local ({@code output} is the split's own
 * output) and emitted here, because only here is known what kind of page a log came from:
 * <ul>
 *   <li>bounded slice: the older of the slice's progress (its start, then the lowest time on the
 *       snapshot page being emitted, read oldest first; a slice read newest first stays at its start)
 *       and the read frontier the enumerator sent ({@link #frontier(long)}): the oldest point any
 *       reader may still read. A reader reads several slices in turn and its watermark never goes
 *       back, so its own slice's progress alone would make the logs of its next, older slice late.
 *       No watermark before the first frontier arrives. When the split finishes its output is
 *       released and stops holding the combined watermark back;
 *   <li>continuous, snapshot pages: the page's lowest time (the snapshot is walked oldest page first,
 *       so nothing later in it is older), which keeps a long backfill from buffering downstream; a
 *       snapshot read newest first has no floor (older pages follow) and holds at the range start;
 *   <li>continuous, tail: newest time seen minus {@code maxOutOfOrderness}.
 * </ul>
 * Logs older than the watermark (late uploads) are still emitted; downstream decides what late means.
 *
 * <p>A log's {@code app} is the app its split asked for: a log that says another app (a server bug,
 * or a value a device managed to set) is counted, archived and alerted under the app it was read
 * from, never under the one it claims. Such logs are counted ({@code appMismatch}) and logged at
 * WARN, once per split and claimed app, without the claimed value itself (it is server text).
 * Idleness of quiet splits comes from the {@link io.fendersec.source.BugfenderSource#watermarkStrategy()}.
 */
public final class BugfenderRecordEmitter implements RecordEmitter<PagedRecord, LogRecord, BugfenderSplitState> {

    private static final Logger LOG = LoggerFactory.getLogger(BugfenderRecordEmitter.class);

    private final long maxOutOfOrdernessMillis;
    private final long maxClockSkewMillis;
    private final Counter appMismatch;
    /**
     * Bounded runs: the read frontier last received (epoch millis); {@link Long#MIN_VALUE}: none yet.
     * Set and read on the reader's task thread only.
     */
    private long frontier = Long.MIN_VALUE;
    /** Splits already warned about: one WARN line each, however many logs. */
    private final Set<String> warned = new HashSet<>();

    public BugfenderRecordEmitter(Duration maxOutOfOrderness, Duration maxClockSkew) {
        this(maxOutOfOrderness, maxClockSkew, new SimpleCounter());
    }

    /** {@code appMismatch} counts the logs whose {@code app} was not their split's. */
    public BugfenderRecordEmitter(Duration maxOutOfOrderness, Duration maxClockSkew, Counter appMismatch) {
        this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
        this.maxClockSkewMillis = maxClockSkew.toMillis();
        this.appMismatch = appMismatch;
    }

    /** {@code log} with its split's app id. */
    private LogRecord withSplitApp(LogRecord log, BugfenderSplitState state) {
        String app = state.split().appId();
        if (app.equals(log.app())) {
            return log;
        }
        appMismatch.inc();
        if (warned.add(state.split().splitId())) {
            LOG.warn("split {}: logs that name another app than {} (or none) are kept under {}; counted in appMismatch",
                    state.split().splitId(), app, app);
        }
        LogRecord.Builder b = LogRecord.builder();
        log.fields().forEach(b::put);
        return b.put(io.fendersec.model.LogFields.APP, app).build();
    }

    /** The latest event time a log fetched at {@code fetchedAt} may have. */
    long bound(long fetchedAt) {
        return fetchedAt > Long.MAX_VALUE - maxClockSkewMillis ? Long.MAX_VALUE : fetchedAt + maxClockSkewMillis;
    }

    /** The tail watermark once everything that arrived by {@code fetchedAt} has been emitted. */
    long caughtUpWatermark(long fetchedAt) {
        return fetchedAt - maxOutOfOrdernessMillis - 1;
    }

    /** A newer read frontier from the enumerator (never moves back). */
    void frontier(long millis) {
        frontier = Math.max(frontier, millis);
    }

    /**
     * The watermark a bounded split may have now: below both its own progress and the read frontier;
     * {@link Long#MIN_VALUE} while no frontier is known.
     */
    long boundedWatermark(BugfenderSplitState state) {
        if (frontier == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long low = Math.min(state.floor(), frontier);
        return low == Long.MIN_VALUE ? Long.MIN_VALUE : low - 1;
    }

    @Override
    public void emitRecord(PagedRecord element, SourceOutput<LogRecord> output, BugfenderSplitState state) {
        LogRecord log = withSplitApp(element.record(), state);
        long rangeStart = state.split().query().from().toEpochMilli();
        Instant time = log.time();
        long bound = bound(element.fetchedAt());
        long timestamp = time == null ? rangeStart : Math.min(time.toEpochMilli(), bound);
        output.collect(log, timestamp);
        if (element.isNewestFirst()) {
            state.emittedNewestFirst(element.pageUrl(), element.index(), PagedRecord.identity(log), element.newestFirstTail(), timestamp);
        } else {
            state.emitted(element.pageUrl(), element.index(), element.inTail(), timestamp);
        }
        if (element.nextUrl() != null) {
            state.advanceTo(element.nextUrl(), element.nextInTail());
        }

        long watermark;
        if (state.split().bounded()) {
            if (element.pageFloor() != PagedRecord.NO_FLOOR) {
                state.floor(Math.min(element.pageFloor(), bound));
            }
            watermark = boundedWatermark(state);
        } else if (!element.inTail()) {
            watermark = Math.max(rangeStart, Math.min(element.pageFloor(), bound)) - 1;
        } else {
            watermark = state.newestTime() - maxOutOfOrdernessMillis - 1;
        }
        if (watermark > state.watermark()) {
            state.watermark(watermark);
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
