package io.fendersec.api;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/**
 * The whole-answer deadline of one attempt ({@code source.network.response-timeout}). HttpClient's
 * socket timeout bounds each wait for the next byte, so a server (or a middlebox) that sends one
 * byte every few seconds holds a reader forever; when the deadline passes, this aborts the request
 * ({@link HttpUriRequestBase#cancel()} closes its connection), which makes the blocked read fail at
 * once. The executor then sees {@link #expired()} and retries as for any timeout.
 */
final class ResponseDeadline {
    private final AtomicBoolean expired = new AtomicBoolean();
    private final ScheduledFuture<?> timer;

    private ResponseDeadline(ScheduledThreadPoolExecutor timers, HttpUriRequestBase request, Duration timeout) {
        this.timer = timers.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** One daemon thread per client, started on first use; cancelled deadlines leave its queue at once. */
    static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "fendersec-response-deadline");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return t;
    }

    static ResponseDeadline start(ScheduledThreadPoolExecutor timers, HttpUriRequestBase request, Duration timeout) {
        return new ResponseDeadline(timers, request, timeout);
    }

    /** True once the deadline passed and the request was aborted. */
    boolean expired() {
        return expired.get();
    }

    /** Called when the attempt is over, answered or not. */
    void cancel() {
        timer.cancel(false);
    }

    /** "5 min", "90 s", "500 ms": for messages. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
