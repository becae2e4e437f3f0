package io.fendersec.detect.reload;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.error.ConfigException;

/**
 * Looks at the watched files every {@link WatchedRules#interval()} on a thread of its own (a slow
 * shared path must not stall the task thread), and hands the task thread a snapshot when the
 * files' digest differs from the last one emitted, two looks in a row saw it (a file caught
 * while being written is not taken), and the rules compile (and the lookup tables parse:
 * {@link WatchedRules#check}). A look that fails (a
 * rule that does not load, a pattern that matches nothing, a file that cannot be read) leaves
 * the rules in force and is reported once per failing content: a WARN line naming the file and
 * line, and the counter {@code ruleReloadFailures}. The same failure seen again at later looks is
 * not reported again; a different one is.
 */
final class RuleWatchReader implements SourceReader<RuleSnapshot, RuleWatchSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(RuleWatchReader.class);

    private final WatchedRules watched;
    private final Queue<RuleSnapshot> ready = new ConcurrentLinkedQueue<>();
    private final Counter failures;
    private final Counter emitted;
    private ScheduledExecutorService looker;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    /** Task thread: the digest of the last snapshot emitted (the checkpointed position). */
    private String emittedDigest;
    private boolean assigned;
    /** Looks finished, for tests that wait for a look to have happened. */
    private final java.util.concurrent.atomic.AtomicLong looks = new java.util.concurrent.atomic.AtomicLong();
    /** Looker thread: the last digest queued, and the last failure reported. */
    private String queuedDigest;
    private String reported;
    /** Looker thread: what the previous look saw (a digest or a read failure). */
    private String seen;

    RuleWatchReader(WatchedRules watched, SourceReaderContext ctx) {
        this.watched = watched;
        this.failures = ctx.metricGroup().counter("ruleReloadFailures");
        this.emitted = ctx.metricGroup().counter("ruleChangesEmitted");
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<RuleWatchSplit> splits) {
        if (splits.isEmpty() || assigned) {
            return;
        }
        assigned = true;
        emittedDigest = splits.get(0).lastDigest();
        queuedDigest = emittedDigest;
        looker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fendersec-rule-watch");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, watched.interval().toMillis());
        // The first look at once: a restored job whose files changed meanwhile applies them now.
        looker.scheduleWithFixedDelay(this::look, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * On the looker thread. Never throws, not even an Error: a scheduled task that throws is never
     * run again, and live reload would stop for good.
     * A change counts once two looks in a row see it: a file caught while an editor or a copy
     * writes it is neither applied nor reported. Package-private for tests that must place two
     * writes between two looks (a reader whose interval is longer than the test calls it itself).
     */
    void look() {
        try {
            RuleSnapshot s;
            try {
                s = watched.read();
            } catch (ConfigException e) {
                String key = "read:" + e.getMessage();
                if (settled(key)) {
                    report(key, e.getMessage());
                }
                return;
            }
            if (s.digest().equals(queuedDigest)) {
                seen = null;
                reported = null; // back to the rules in force: a later failure is news again
                return;
            }
            if (s.digest().equals(reported) || !settled(s.digest())) {
                return;
            }
            try {
                watched.check(s);
            } catch (ConfigException e) {
                report(s.digest(), e.getMessage());
                return;
            }
            reported = null;
            queuedDigest = s.digest();
            ready.add(s);
            synchronized (this) {
                available.complete(null);
            }
        } catch (RuntimeException | Error e) {
            // Any Throwable, Errors too: one escaping a scheduled task cancels every later look
            // without a word (an OutOfMemoryError from reading a 2 GiB file did exactly that).
            report("error:" + e, "cannot look at the rule files: " + e);
        } finally {
            looks.incrementAndGet();
        }
    }

    long looks() {
        return looks.get();
    }

    long failuresReported() {
        return failures.getCount();
    }

    /** Whether the previous look saw the same ({@code key}): the files are not being written. */
    private boolean settled(String key) {
        boolean same = key.equals(seen);
        seen = key;
        return same;
    }

    private void report(String key, String message) {
        if (key.equals(reported)) {
            return;
        }
        reported = key;
        failures.inc();
        LOG.warn("rule change not applied, the rules in force stay: {}", message);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RuleSnapshot> output) {
        RuleSnapshot s = ready.poll();
        if (s == null) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        output.collect(s);
        emittedDigest = s.digest();
        emitted.inc();
        LOG.info("rule files changed: applying rules {} ({} files)", s.shortDigest(), s.entries().size());
        return ready.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public synchronized CompletableFuture<Void> isAvailable() {
        if (!ready.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    @Override
    public List<RuleWatchSplit> snapshotState(long checkpointId) {
        List<RuleWatchSplit> out = new ArrayList<>(1);
        if (assigned) {
            out.add(new RuleWatchSplit(emittedDigest));
        }
        return out;
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {
        if (looker != null) {
            looker.shutdownNow();
        }
    }
}
