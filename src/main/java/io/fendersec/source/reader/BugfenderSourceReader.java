package io.fendersec.source.reader;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.annotation.Nullable;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import io.fendersec.model.LogRecord;
import io.fendersec.source.SharedApi;
import io.fendersec.source.frontier.ReadFrontier;
import io.fendersec.source.frontier.ReadProgress;
import io.fendersec.source.split.BugfenderSplit;
import io.fendersec.source.split.BugfenderSplitState;
import io.fendersec.source.token.BorrowedTokens;
import io.fendersec.source.token.TokenGrant;

/**
 * One reader per subtask, one fetcher thread for all its splits (the request-rate budget is per
 * client, so more threads would only queue on it). Bounded readers pull one slice at a time, which
 * keeps the oldest-first order of the enumerator; continuous readers get their splits pushed.
 *
 * <p>Bounded readers take part in the read frontier (see {@link io.fendersec.source.frontier}): they
 * report their slices' progress to the enumerator (in full as they start, then whenever a slice's
 * floor moves up or a slice ends) and bound their watermarks by the frontier it sends back.
 *
 * <p>Owns the {@link SharedApi}: every split reader it makes uses the same client, and the client is
 * closed with the reader.
 */
public final class BugfenderSourceReader
        extends SingleThreadMultiplexSourceReaderBase<PagedRecord, LogRecord, BugfenderSplit, BugfenderSplitState> {

    private final SharedApi api;
    @Nullable private final BorrowedTokens tokens;
    private final boolean bounded;
    private final BugfenderRecordEmitter emitter;
    private final CaughtUpTails caughtUp;
    private final Map<String, BugfenderSplitState> live = new ConcurrentHashMap<>();
    private final Set<String> appsWithGauge = ConcurrentHashMap.newKeySet();
    private final MetricGroup metrics;
    /** Bounded: the floor last reported per live split (task thread only). */
    private final Map<String, Long> reportedFloors = new HashMap<>();
    /** Bounded: a frontier arrived that the live splits' watermarks have not been moved to yet. */
    private boolean frontierMoved;

    /** @param tokens where the client borrows its access tokens (refresh-token sign-in), or null */
    public BugfenderSourceReader(Supplier<SplitReader<PagedRecord, BugfenderSplit>> splitReaders,
            BugfenderRecordEmitter emitter, CaughtUpTails caughtUp, Configuration config,
            SourceReaderContext context, SharedApi api, @Nullable BorrowedTokens tokens, boolean bounded) {
        super(splitReaders, emitter, config, context);
        this.api = api;
        this.tokens = tokens;
        this.bounded = bounded;
        this.emitter = emitter;
        this.caughtUp = caughtUp;
        this.metrics = context.metricGroup();
        context.metricGroup().gauge("lagMillis", (Gauge<Long>) () -> maxLag(null));
    }

    @Override
    public void start() {
        super.start();
        if (bounded) {
            // Restored splits are added before start(), and the enumerator does not know them: report
            // them (at their range start) before asking for anything, so no frontier passes them.
            Map<String, Long> floors = new HashMap<>();
            for (BugfenderSplitState state : live.values()) {
                floors.put(state.splitId(), state.floor());
            }
            reportedFloors.putAll(floors);
            context.sendSourceEventToCoordinator(ReadProgress.full(floors));
        }
        // Ask only when there is nothing to read yet.
        if (bounded && getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    /**
     * Emits what the fetcher handed over, then moves on the watermark of every continuous split whose
     * tail was found quiet and whose emitted position has reached the fetcher's: everything that had
     * arrived by that fetch is out, so event time follows the reader's clock instead of stopping at the
     * last log (see {@link CaughtUpTails}). The fetcher hands over a batch (empty or not) after every
     * fetch and sleep, so this runs at least once per poll interval.
     */
    @Override
    public InputStatus pollNext(ReaderOutput<LogRecord> output) throws Exception {
        InputStatus status = super.pollNext(output);
        if (bounded) {
            reportProgress();
            applyFrontier(output);
        } else {
            for (Map.Entry<String, CaughtUpTails.Quiet> e : caughtUp.view().entrySet()) {
                BugfenderSplitState state = live.get(e.getKey());
                CaughtUpTails.Quiet q = e.getValue();
                if (state == null || !Objects.equals(state.url(), q.url()) || state.offset() != q.offset()) {
                    continue; // gone, or logs fetched before that quiet poll are not all emitted yet
                }
                long watermark = emitter.caughtUpWatermark(q.fetchedAt());
                if (watermark > state.watermark()) {
                    state.watermark(watermark);
                    output.createOutputForSplit(e.getKey()).emitWatermark(new Watermark(watermark));
                }
            }
        }
        return status;
    }

    /** Sends the floors that moved up since the last report (at most one event per page emitted). */
    private void reportProgress() {
        Map<String, Long> moved = null;
        for (BugfenderSplitState state : live.values()) {
            Long reported = reportedFloors.get(state.splitId());
            if (reported == null || state.floor() > reported) {
                if (moved == null) {
                    moved = new HashMap<>();
                }
                moved.put(state.splitId(), state.floor());
            }
        }
        if (moved != null) {
            reportedFloors.putAll(moved);
            context.sendSourceEventToCoordinator(ReadProgress.moved(moved));
        }
    }

    /**
     * Moves the watermark of every live bounded split to what the newest frontier allows, also for a
     * split that has emitted nothing since (its records may be waiting on a fetch).
     */
    private void applyFrontier(ReaderOutput<LogRecord> output) {
        if (!frontierMoved) {
            return;
        }
        frontierMoved = false;
        for (BugfenderSplitState state : live.values()) {
            long watermark = emitter.boundedWatermark(state);
            if (watermark > state.watermark()) {
                state.watermark(watermark);
                output.createOutputForSplit(state.splitId()).emitWatermark(new Watermark(watermark));
            }
        }
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ReadFrontier && bounded) {
            emitter.frontier(((ReadFrontier) event).millis());
            frontierMoved = true;
        } else if (event instanceof TokenGrant && tokens != null) {
            tokens.onGrant((TokenGrant) event); // wakes the fetcher thread waiting for it
        } else {
            super.handleSourceEvents(event);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, BugfenderSplitState> finished) {
        live.keySet().removeAll(finished.keySet());
        if (bounded) {
            reportedFloors.keySet().removeAll(finished.keySet());
            // Before asking for the next one: the enumerator stops counting these in the frontier.
            context.sendSourceEventToCoordinator(ReadProgress.finished(finished.keySet()));
            context.sendSplitRequest();
        }
    }

    @Override
    protected BugfenderSplitState initializedState(BugfenderSplit split) {
        BugfenderSplitState state = new BugfenderSplitState(split);
        live.put(split.splitId(), state);
        String app = split.appId();
        if (appsWithGauge.add(app)) {
            // A key-value group: the app is a label (Prometheus: ..._app_lagMillis{app="..."}), not
            // part of the metric's name, so one query covers every app.
            metrics.addGroup("app", app).gauge("lagMillis", (Gauge<Long>) () -> maxLag(app));
        }
        return state;
    }

    @Override
    protected BugfenderSplit toSplitType(String splitId, BugfenderSplitState state) {
        return state.toSplit();
    }

    /**
     * Now minus the newest device time read, over this reader's live splits (of one app, or all);
     * -1 when nothing was read yet. Read from the metrics thread: the state fields are a best-effort view.
     */
    private long maxLag(String app) {
        long newest = Long.MIN_VALUE;
        for (BugfenderSplitState s : live.values()) {
            if (app == null || app.equals(s.split().appId())) {
                newest = Math.max(newest, s.newestTime());
            }
        }
        return newest == Long.MIN_VALUE ? -1 : Math.max(0, System.currentTimeMillis() - newest);
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            api.close();
        }
    }
}
