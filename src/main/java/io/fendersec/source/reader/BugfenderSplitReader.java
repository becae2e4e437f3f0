package io.fendersec.source.reader;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;
import org.apache.flink.metrics.Counter;

import io.fendersec.api.LogPage;
import io.fendersec.api.PagingContract;
import io.fendersec.model.LogRecord;
import io.fendersec.source.SharedApi;
import io.fendersec.source.split.BugfenderSplit;

/**
 * The only place that does I/O for a reader: one page per {@link #fetch()}, for the split that has
 * waited longest. It keeps its own look-ahead cursor per split (where to fetch next), but never
 * touches the split state: the position moves only when the emitter emits (see {@link PagedRecord}).
 *
 * <p>A continuous split whose tail is quiet (a page without {@code previous}) is polled again at the
 * same URL after the poll interval, skipping the logs already handed over. When every split is
 * waiting, {@code fetch} sleeps until the earliest is due; {@link #wakeUp()} ends that sleep at once
 * (new splits, shutdown).
 */
public final class BugfenderSplitReader implements SplitReader<PagedRecord, BugfenderSplit> {

    private final SharedApi api;
    private final long pollNanos;
    private final Counter pagesFetched;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final CaughtUpTails caughtUp;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final Object wakeLock = new Object();
    private boolean wakeUpRequested;

    public BugfenderSplitReader(SharedApi api, Duration pollInterval, Counter pagesFetched, CaughtUpTails caughtUp) {
        this(api, pollInterval, pagesFetched, System::nanoTime, System::currentTimeMillis, caughtUp);
    }

    BugfenderSplitReader(SharedApi api, Duration pollInterval, Counter pagesFetched, LongSupplier nanoClock) {
        this(api, pollInterval, pagesFetched, nanoClock, System::currentTimeMillis, new CaughtUpTails());
    }

    /**
     * @param wallClock epoch millis: when a page was fetched bounds its logs' event time, and a tail
     *                  found quiet at that moment lets event time move on (see {@link CaughtUpTails})
     */
    BugfenderSplitReader(SharedApi api, Duration pollInterval, Counter pagesFetched, LongSupplier nanoClock,
            LongSupplier wallClock, CaughtUpTails caughtUp) {
        this.api = api;
        this.pollNanos = pollInterval.toNanos();
        this.pagesFetched = pagesFetched;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.caughtUp = caughtUp;
    }

    /** Where the fetcher is for one split: ahead of (or equal to) the emitted position. */
    private static final class Cursor {
        final BugfenderSplit split;
        /** Null: newest first, on the answer that fixes the snapshot (fix it again). */
        String url;
        int skip;
        boolean inTail;
        boolean newestFirst;
        /** The tail of the snapshot being read (newest first: of the snapshot this cursor fixed). */
        String tailUrl;
        Set<String> seen;
        long dueAt;

        Cursor(BugfenderSplit split, long now) {
            this.split = split;
            this.url = split.url();
            this.skip = split.offset();
            this.inTail = split.inTail();
            this.newestFirst = split.newestFirst();
            this.tailUrl = split.tailUrl();
            this.seen = split.seen();
            this.dueAt = now;
        }

        /** Not started yet (or restored before its first log) on a split planned oldest first. */
        boolean atOldestFirstStart() {
            return !newestFirst && !inTail && skip == 0 && url.equals(split.url()) && split.offset() == 0;
        }

        void switchToNewestFirst() {
            newestFirst = true;
            url = null;
            skip = 0;
        }
    }

    @Override
    public RecordsWithSplitIds<PagedRecord> fetch() {
        RecordsBySplits.Builder<PagedRecord> out = new RecordsBySplits.Builder<>();
        // A bounded split restored at its stop URL (or made empty) is done without a request.
        var it = cursors.values().iterator();
        boolean finishedAny = false;
        while (it.hasNext()) {
            Cursor c = it.next();
            if (c.split.bounded() && !c.newestFirst && c.url.equals(c.split.tailUrl())) {
                out.addFinishedSplit(c.split.splitId());
                it.remove();
                finishedAny = true;
            }
        }
        if (finishedAny || cursors.isEmpty()) {
            return out.build();
        }
        long now = nanoClock.getAsLong();
        Cursor next = null;
        for (Cursor c : cursors.values()) {
            if (next == null || c.dueAt - next.dueAt < 0) {
                next = c;
            }
        }
        if (next.dueAt - now > 0) {
            sleepUntilDueOrWoken(next.dueAt - now);
            return out.build();
        }
        fetchPage(next, out);
        return out.build();
    }

    private void fetchPage(Cursor c, RecordsBySplits.Builder<PagedRecord> out) {
        if (c.newestFirst && !c.inTail) {
            fetchNewestFirst(c, out);
            return;
        }
        String splitId = c.split.splitId();
        String url = c.url;
        // Taken before the request: the server answers with what had arrived by some moment after it.
        long fetchedAt = wallClock.getAsLong();
        LogPage page = api.get().page(url);
        pagesFetched.inc();
        if (!c.inTail && !PagingContract.linksNewer(page)) {
            // Older snapshot pages carry no 'previous' (the second reading of the contract): read this
            // split newest first instead. Nothing of this page was handed over, so nothing moves.
            if (c.skip > 0) {
                throw new IllegalStateException("snapshot page of split " + splitId + " had 'previous' when "
                        + c.skip + " of its logs were emitted and has none now: the paging contract does not hold");
            }
            api.learnedNewestFirst();
            c.switchToNewestFirst();
            return; // due now: the next fetch fixes the snapshot again
        }
        var records = page.records();
        checkSkip(c, records.size());
        // Snapshot pages are walked oldest first (bounded slices too): nothing later in the walk is
        // older than a page's lowest time. A bounded slice reports it as its progress (the read frontier).
        long floor = c.inTail ? PagedRecord.NO_FLOOR : floor(records, c.split);
        List<PagedRecord> batch = new ArrayList<>(records.size() - c.skip);
        for (int i = c.skip; i < records.size(); i++) {
            batch.add(PagedRecord.log(records.get(i), url, i, c.inTail, floor, fetchedAt));
        }
        c.dueAt = nanoClock.getAsLong(); // behind every split that has waited longer
        String after = PagingContract.after(page);
        if (after == null) {
            // Only a tail page may lack 'previous' here (snapshot pages without it switched above).
            // Quiet tail: poll the same URL later; its first logs were handed over already.
            addAll(out, splitId, batch);
            c.skip = records.size();
            c.dueAt += pollNanos;
            if (!c.split.bounded()) {
                caughtUp.caughtUp(splitId, fetchedAt, c.url, c.skip);
            }
            return;
        }
        boolean nextInTail = c.inTail || after.equals(c.split.tailUrl());
        if (c.split.bounded() && after.equals(c.split.tailUrl())) {
            addAll(out, splitId, batch);
            out.addFinishedSplit(splitId);
            cursors.remove(splitId);
            return;
        }
        moveOn(c, out, batch, after, nextInTail);
    }

    /**
     * One page of a snapshot read newest first: the answer that fixes it (when {@code url} is null),
     * then its older pages by {@code next}; after the oldest page a bounded split is done and a
     * continuous one goes on with that snapshot's tail.
     */
    private void fetchNewestFirst(Cursor c, RecordsBySplits.Builder<PagedRecord> out) {
        String splitId = c.split.splitId();
        String url = c.url;
        long fetchedAt = wallClock.getAsLong(); // before the request, as for any page
        LogPage page;
        if (url == null) {
            page = api.get().firstPage(c.split.query());
            c.tailUrl = PagingContract.tail(page);
        } else {
            page = api.get().page(url);
        }
        pagesFetched.inc();
        var records = page.records();
        checkSkip(c, records.size());
        List<PagedRecord> batch = new ArrayList<>(records.size() - c.skip);
        for (int i = c.skip; i < records.size(); i++) {
            LogRecord r = records.get(i);
            if (c.seen.isEmpty() || !c.seen.contains(PagedRecord.identity(r))) {
                batch.add(PagedRecord.newestFirst(r, url, i, c.tailUrl, fetchedAt));
            }
        }
        c.dueAt = nanoClock.getAsLong();
        String older = PagingContract.older(page);
        if (older == null && c.split.bounded()) {
            addAll(out, splitId, batch);
            out.addFinishedSplit(splitId);
            cursors.remove(splitId);
            return;
        }
        boolean nextInTail = older == null;
        moveOn(c, out, batch, nextInTail ? c.tailUrl : older, nextInTail);
        if (nextInTail) {
            c.seen = Set.of();
        }
    }

    /**
     * Hands over a page the reader leaves for {@code next}. The page's last log carries the move. With
     * no log to carry it (all were emitted before a restore), the state stays (page, size): also exact,
     * it costs one refetch (newest first on a first answer: one more fix of the snapshot).
     */
    private void moveOn(Cursor c, RecordsBySplits.Builder<PagedRecord> out, List<PagedRecord> batch, String next,
            boolean nextInTail) {
        if (!batch.isEmpty()) {
            int last = batch.size() - 1;
            batch.set(last, batch.get(last).thenContinueAt(next, nextInTail));
        }
        addAll(out, c.split.splitId(), batch);
        c.url = next;
        c.skip = 0;
        c.inTail = nextInTail;
    }

    private static void checkSkip(Cursor c, int size) {
        if (size < c.skip) {
            // A stable page lost logs: continuing would silently skip or repeat some. Fail loudly.
            throw new IllegalStateException("page of split " + c.split.splitId() + " has " + size
                    + " logs, but " + c.skip + " were already emitted from it: the paging contract does not hold");
        }
    }

    /** An empty list would still announce the split with nothing in it: leave it out. */
    private static void addAll(RecordsBySplits.Builder<PagedRecord> out, String splitId, List<PagedRecord> batch) {
        if (!batch.isEmpty()) {
            out.addAll(splitId, batch);
        }
    }

    /** Lowest event time on a snapshot page: the snapshot goes on with logs at least this new. */
    private static long floor(List<LogRecord> records, BugfenderSplit split) {
        long start = split.query().from().toEpochMilli();
        long min = Long.MAX_VALUE;
        for (LogRecord r : records) {
            Instant t = r.time();
            min = Math.min(min, t == null ? start : t.toEpochMilli());
        }
        return min == Long.MAX_VALUE ? PagedRecord.NO_FLOOR : min;
    }

    private void sleepUntilDueOrWoken(long nanos) {
        synchronized (wakeLock) {
            long deadline = System.nanoTime() + nanos;
            try {
                while (!wakeUpRequested) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wakeLock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            wakeUpRequested = false;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<BugfenderSplit> change) {
        long now = nanoClock.getAsLong();
        if (change instanceof SplitsAddition) {
            for (BugfenderSplit s : change.splits()) {
                Cursor c = new Cursor(s, now);
                if (api.readsNewestFirst() && c.atOldestFirstStart()) {
                    c.switchToNewestFirst(); // this server was seen to need it: no probe of the oldest page
                }
                cursors.put(s.splitId(), c);
            }
        } else if (change instanceof SplitsRemoval) {
            for (BugfenderSplit s : change.splits()) {
                cursors.remove(s.splitId());
                caughtUp.forget(s.splitId());
            }
        } else {
            throw new UnsupportedOperationException("unsupported split change " + change.getClass().getSimpleName());
        }
    }

    /** Ends a poll-interval sleep now; a wake-up that comes while not sleeping ends the next one. */
    @Override
    public void wakeUp() {
        synchronized (wakeLock) {
            wakeUpRequested = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void close() {
        // The client belongs to the reader (SharedApi): later split readers of this reader reuse it.
    }
}
