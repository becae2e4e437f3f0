package io.fendersec.source.reader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each continuous split's fetcher last found its tail with nothing newer: the moment of that
 * fetch and the position the fetcher had then. Written by the fetcher thread, read by the task
 * thread ({@link BugfenderSourceReader}), one instance per reader.
 *
 * <p>Why it exists: a tail that has gone quiet emits no logs, so a watermark made only from device
 * times stops where the last log left it, and every hit waiting in keyed state for the watermark
 * waits until the app logs again (for good, on a quiet app). A fetch that finds nothing newer is
 * itself a fact about time: every log that had arrived at the server by then has been handed over,
 * and a log arriving later is, by the same out-of-orderness assumption the tail watermark makes, no
 * older than that fetch minus {@code max-out-of-orderness}. Once the emitted position has reached
 * the fetcher's position, the reader may move the split's watermark on with the reader's clock.
 */
public final class CaughtUpTails {

    /** The split's tail held nothing newer at {@code fetchedAt}; the fetcher stood at {@code (url, offset)}. */
    public record Quiet(long fetchedAt, String url, int offset) {}

    private final Map<String, Quiet> quiet = new ConcurrentHashMap<>();

    void caughtUp(String splitId, long fetchedAt, String url, int offset) {
        quiet.put(splitId, new Quiet(fetchedAt, url, offset));
    }

    Map<String, Quiet> view() {
        return quiet;
    }

    void forget(String splitId) {
        quiet.remove(splitId);
    }
}
