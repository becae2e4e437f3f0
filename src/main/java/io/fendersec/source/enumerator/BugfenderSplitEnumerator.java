package io.fendersec.source.enumerator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.annotation.Nullable;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SupportsHandleExecutionAttemptSourceEvent;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.api.App;
import io.fendersec.api.LogPage;
import io.fendersec.api.LogQuery;
import io.fendersec.api.PagingContract;
import io.fendersec.source.SharedApi;
import io.fendersec.source.ReadRange;
import io.fendersec.source.SourceSettings;
import io.fendersec.source.frontier.FrontierTracker;
import io.fendersec.source.frontier.ReadFrontier;
import io.fendersec.source.frontier.ReadProgress;
import io.fendersec.source.split.BugfenderSplit;
import io.fendersec.source.token.TokenLender;
import io.fendersec.source.token.TokenRequest;

/**
 * Plans and hands out splits.
 *
 * <p>Bounded: each app's range is cut into slices; the snapshot of every slice is fixed here (one
 * {@code firstPage} call, off the coordinator thread via {@code callAsync}) so a split carries a
 * concrete start and stop URL from the beginning. Readers pull: a reader asks for a split when it
 * has none, gets the oldest unassigned one, and gets "no more splits" once every slice is handed out.
 *
 * <p>Bounded runs also keep the read frontier (see {@link io.fendersec.source.frontier}): the
 * readers report how far their slices have got, and whenever the oldest point still to be read
 * anywhere moves, it is sent to every reader, whose watermark never passes it. Event time thus moves
 * while a long range is read, and correlation state is released as it goes, without any log of a
 * slice handed out later arriving behind a reader's watermark.
 *
 * <p>Continuous: one split per app (snapshot, then tail), pushed to the owner reader
 * {@code hash(app) % parallelism} like Kafka's partition owners; apps that appear later are found
 * by periodic discovery and get their split then.
 *
 * <p>All fields are touched only on the coordinator thread (handlers of {@code callAsync} run there);
 * blocking calls run in the callables.
 */
public final class BugfenderSplitEnumerator
        implements SplitEnumerator<BugfenderSplit, BugfenderEnumState>, SupportsHandleExecutionAttemptSourceEvent {
    private static final Logger LOG = LoggerFactory.getLogger(BugfenderSplitEnumerator.class);

    /** Snapshots fixed per async call: small enough that checkpoints and split requests are not held up long. */
    static final int RESOLVE_CHUNK = 16;

    /** First-page requests in flight at once while fixing a chunk's snapshots. */
    static final int RESOLVE_CONCURRENCY = 8;

    private ExecutorService resolver;

    private static final Comparator<BugfenderSplit> SPLITS_OLDEST_FIRST = Comparator
            .comparing(BugfenderSplit::query, QueryPlanner.OLDEST_FIRST)
            .thenComparing(BugfenderSplit::splitId);

    private final SplitEnumeratorContext<BugfenderSplit> context;
    private final SourceSettings settings;
    private final SharedApi api;
    private final QueryPlanner planner;
    /** Lends access tokens to the readers (refresh-token sign-in), or null when they sign in themselves. */
    @Nullable private final TokenLender tokenLender;

    private boolean initialDiscoveryDone;
    private final Set<String> knownApps = new TreeSet<>();
    private final TreeSet<LogQuery> pending = new TreeSet<>(QueryPlanner.OLDEST_FIRST);
    private final TreeSet<BugfenderSplit> unassigned = new TreeSet<>(SPLITS_OLDEST_FIRST);
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    private boolean resolving;
    /** Bounded runs: who holds which slice, and how far it got; null in continuous mode. */
    @Nullable private final FrontierTracker frontier;
    /** Bounded: readers told "no more splits"; once they hold nothing they end, and get no more events. */
    private final Set<Integer> toldNoMoreSplits = new java.util.HashSet<>();
    /** The last frontier sent to the readers (only ever larger). */
    private long frontierSent = Long.MIN_VALUE;

    public BugfenderSplitEnumerator(SplitEnumeratorContext<BugfenderSplit> context, SourceSettings settings,
            ReadRange range, SharedApi api, Supplier<Instant> clock, @Nullable BugfenderEnumState restored) {
        this(context, settings, range, api, clock, restored, false);
    }

    /** @param lendsTokens whether the readers borrow their access tokens from this enumerator's client */
    public BugfenderSplitEnumerator(SplitEnumeratorContext<BugfenderSplit> context, SourceSettings settings,
            ReadRange range, SharedApi api, Supplier<Instant> clock, @Nullable BugfenderEnumState restored,
            boolean lendsTokens) {
        this.context = context;
        this.settings = settings;
        this.api = api;
        this.tokenLender = lendsTokens ? new TokenLender(context, api) : null;
        this.planner = new QueryPlanner(settings, range, clock);
        BugfenderEnumState s = restored == null ? BugfenderEnumState.initial() : restored;
        this.initialDiscoveryDone = s.initialDiscoveryDone();
        this.knownApps.addAll(s.knownApps());
        this.pending.addAll(s.pendingQueries());
        this.unassigned.addAll(s.unassignedSplits());
        this.frontier = settings.bounded() ? new FrontierTracker() : null;
    }

    @Override
    public void start() {
        if (!settings.allApps()) {
            // Explicit apps need no call: plan them right away (a no-op after a restore).
            onAppsDiscovered(settings.appIds(), null);
        } else if (settings.bounded()) {
            if (!initialDiscoveryDone) {
                context.callAsync(this::listApps, this::onAppsDiscovered);
            }
        } else {
            long every = settings.discoveryInterval().toMillis();
            context.callAsync(this::listApps, this::onAppsDiscovered, 0, every);
        }
        resolveNext();
        assignContinuous();
    }

    private List<String> listApps() {
        return api.get().apps().stream().map(App::id).collect(Collectors.toList());
    }

    private void onAppsDiscovered(List<String> appIds, Throwable error) {
        if (error != null) {
            if (!initialDiscoveryDone) {
                // Nothing to read without the app list: fail, and let the restart strategy try again.
                throw new FlinkRuntimeException("cannot list the account's apps", error);
            }
            LOG.warn("App discovery failed; keeping the {} known apps and trying again later", knownApps.size(), error);
            return;
        }
        for (String app : appIds) {
            if (knownApps.add(app)) {
                List<LogQuery> queries = planner.plan(app);
                pending.addAll(queries);
                if (initialDiscoveryDone) {
                    LOG.info("Discovered app {}: {} new split(s)", app, queries.size());
                }
            }
        }
        initialDiscoveryDone = true;
        resolveNext();
        maybeSignalNoMoreSplits();
        publishFrontier();
    }

    /** Fixes the snapshots of the oldest pending queries, one chunk at a time. */
    private void resolveNext() {
        if (resolving || pending.isEmpty()) {
            return;
        }
        List<LogQuery> chunk = new ArrayList<>();
        for (LogQuery q : pending) {
            chunk.add(q);
            if (chunk.size() == RESOLVE_CHUNK) {
                break;
            }
        }
        resolving = true;
        context.callAsync(() -> resolve(chunk), (splits, error) -> onResolved(chunk, splits, error));
    }

    /**
     * Runs off the coordinator thread. A null entry: a bounded slice whose snapshot is empty.
     *
     * <p>The chunk's first pages are requested concurrently (at most {@link #RESOLVE_CONCURRENCY}
     * at a time, still within the client's request-rate budget): one at a time, a 50 ms round trip
     * capped split supply at 20 splits/s, fewer than four latency-bound readers consume.
     */
    private List<BugfenderSplit> resolve(List<LogQuery> chunk) throws Exception {
        List<BugfenderSplit> out = new ArrayList<>(chunk.size());
        // The first query alone: it signs in (or meets a refusal or redirect) once, before the rest
        // ask concurrently with the token it left in the cache. All at once, every resolver thread
        // that started after a failed sign-in signed in again (RedirectAnswerTest saw 3 to 12
        // token requests for one refused sign-in under load).
        out.add(resolveOne(chunk.get(0)));
        List<Future<BugfenderSplit>> futures = new ArrayList<>(chunk.size());
        for (LogQuery q : chunk.subList(1, chunk.size())) {
            futures.add(resolver().submit(() -> resolveOne(q)));
        }
        try {
            for (Future<BugfenderSplit> f : futures) {
                out.add(f.get());
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw e;
        } finally {
            for (Future<BugfenderSplit> f : futures) {
                f.cancel(true);
            }
        }
        return out;
    }

    private BugfenderSplit resolveOne(LogQuery q) {
        LogPage first = api.get().fixSnapshot(q); // links only: the readers read the logs
        String start = PagingContract.start(first);
        String tail = PagingContract.tail(first);
        BugfenderSplit split = BugfenderSplit.atStart(q, settings.bounded(), start, tail);
        return split.isFinished() ? null : split;
    }

    private synchronized ExecutorService resolver() {
        if (resolver == null) {
            resolver = Executors.newFixedThreadPool(RESOLVE_CONCURRENCY, r -> {
                Thread t = new Thread(r, "bugfender-enumerator-resolver");
                t.setDaemon(true);
                return t;
            });
        }
        return resolver;
    }

    private void onResolved(List<LogQuery> chunk, List<BugfenderSplit> splits, Throwable error) {
        resolving = false;
        if (error != null) {
            // The client already retried; the queries stay pending in the state, so a restart resumes here.
            throw new FlinkRuntimeException("cannot fix the snapshot of " + chunk.get(0), error);
        }
        pending.removeAll(chunk);
        for (BugfenderSplit s : splits) {
            if (s != null) {
                unassigned.add(s);
            }
        }
        if (settings.bounded()) {
            serveWaitingReaders();
        } else {
            assignContinuous();
        }
        resolveNext();
        maybeSignalNoMoreSplits();
        publishFrontier();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        if (!settings.bounded()) {
            return; // continuous splits are pushed to their owners
        }
        waitingReaders.add(subtaskId);
        serveWaitingReaders();
        maybeSignalNoMoreSplits();
        publishFrontier();
    }

    private void serveWaitingReaders() {
        var it = waitingReaders.iterator();
        while (it.hasNext() && !unassigned.isEmpty()) {
            int reader = it.next();
            if (!context.registeredReaders().containsKey(reader)) {
                it.remove(); // it failed meanwhile; it asks again after its restart
                continue;
            }
            BugfenderSplit split = unassigned.pollFirst();
            // Before the assignment: a report from this reader can only follow it.
            frontier.assigned(split.splitId(), reader, split.query().from().toEpochMilli());
            context.assignSplit(split, reader);
            it.remove();
        }
    }

    private void maybeSignalNoMoreSplits() {
        if (!settings.bounded() || !initialDiscoveryDone || resolving || !pending.isEmpty() || !unassigned.isEmpty()) {
            return;
        }
        for (int reader : waitingReaders) {
            if (context.registeredReaders().containsKey(reader)) {
                context.signalNoMoreSplits(reader);
                toldNoMoreSplits.add(reader);
            }
        }
        waitingReaders.clear();
    }

    /** Continuous: hand every unassigned split to its owner, if that reader is up. */
    private void assignContinuous() {
        if (settings.bounded()) {
            return;
        }
        var it = unassigned.iterator();
        while (it.hasNext()) {
            BugfenderSplit s = it.next();
            int owner = ownerOf(s.appId(), context.currentParallelism());
            if (context.registeredReaders().containsKey(owner)) {
                context.assignSplit(s, owner);
                it.remove();
            }
        }
    }

    /** Stable across restarts for the same parallelism, spreads apps evenly on average. */
    static int ownerOf(String appId, int parallelism) {
        return (appId.hashCode() & 0x7fffffff) % parallelism;
    }

    @Override
    public void addSplitsBack(List<BugfenderSplit> splits, int subtaskId) {
        // These carry the positions of the last completed checkpoint: giving them out again is exact.
        unassigned.addAll(splits);
        if (settings.bounded()) {
            frontier.returned(splits.stream().map(BugfenderSplit::splitId).collect(Collectors.toList()));
            serveWaitingReaders();
        } else {
            assignContinuous();
        }
    }

    @Override
    public void addReader(int subtaskId) {
        if (frontier != null) {
            frontier.registered(subtaskId); // it reports what it holds as it starts
            toldNoMoreSplits.remove(subtaskId);
        }
        assignContinuous(); // bounded readers ask for their splits themselves
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        handleSourceEvent(subtaskId, 0, event);
    }

    @Override
    public void handleSourceEvent(int subtaskId, int attemptNumber, SourceEvent event) {
        if (event instanceof TokenRequest && tokenLender != null) {
            tokenLender.handle(subtaskId, attemptNumber, (TokenRequest) event);
        } else if (event instanceof ReadProgress && frontier != null) {
            ReadProgress progress = (ReadProgress) event;
            frontier.onProgress(subtaskId, progress);
            long before = frontierSent;
            publishFrontier();
            if (progress.isFull() && frontierSent == before && before != Long.MIN_VALUE) {
                // A reader that started again (a failover of its own) learns the frontier as it is now,
                // which may be behind the one sent before: the slices it gave back are unread again.
                long now = currentFrontier();
                if (now != Long.MIN_VALUE) {
                    context.sendEventToSourceReader(subtaskId, new ReadFrontier(now));
                }
            }
        } else {
            LOG.warn("Ignoring an unexpected source event from reader {}: {}", subtaskId, event);
        }
    }

    /**
     * Bounded: sends the frontier to every reader when it moved up. It is the oldest of: the start of
     * the oldest query or slice not handed out yet, and the reported floor of every slice a reader
     * holds; none before the app list is known and every reader has reported what it holds.
     */
    private void publishFrontier() {
        long f = currentFrontier();
        if (f <= frontierSent) {
            return;
        }
        frontierSent = f;
        ReadFrontier event = new ReadFrontier(f);
        for (int reader : context.registeredReaders().keySet()) {
            // A reader that holds nothing after "no more splits" ends: an event reaching it as its
            // task finishes would be lost, which Flink answers with a failover of the task.
            if (!toldNoMoreSplits.contains(reader) || frontier.holdsAny(reader)) {
                context.sendEventToSourceReader(reader, event);
            }
        }
    }

    /** The frontier as it is now; {@link Long#MIN_VALUE} when there is none (yet). */
    private long currentFrontier() {
        if (frontier == null || !initialDiscoveryDone) {
            return Long.MIN_VALUE;
        }
        long oldest = Long.MAX_VALUE;
        if (!pending.isEmpty()) {
            oldest = pending.first().from().toEpochMilli();
        }
        if (!unassigned.isEmpty()) {
            oldest = Math.min(oldest, unassigned.first().query().from().toEpochMilli());
        }
        return frontier.frontier(context.currentParallelism(), oldest);
    }

    /** The last frontier sent to the readers; {@link Long#MIN_VALUE} before the first. */
    long frontierSent() {
        return frontierSent;
    }

    @Override
    public BugfenderEnumState snapshotState(long checkpointId) {
        return new BugfenderEnumState(initialDiscoveryDone, knownApps, new ArrayList<>(pending),
                new ArrayList<>(unassigned));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (resolver != null) {
                resolver.shutdownNow();
            }
        }
        if (tokenLender != null) {
            tokenLender.close();
        }
        api.close();
    }
}
