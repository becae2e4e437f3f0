package io.fendersec.source.split;

import java.util.Objects;

import org.apache.flink.api.connector.source.SourceSplit;

import io.fendersec.api.LogQuery;

/**
 * One unit of reading, immutable: one app's time slice (bounded) or one app's snapshot and tail
 * (continuous), with the exact position reached.
 *
 * <p>The position is the URL of the current page plus how many of its logs were already emitted
 * ({@code offset}). Paging URLs are stable (see {@link io.fendersec.api.PagingContract}), so
 * refetching the URL and skipping {@code offset} logs resumes exactly. A new split already carries
 * a concrete position (the enumerator fixed the snapshot when it made the split), so a split that
 * read nothing before a failure restores to the same snapshot.
 *
 * <p>{@code tailUrl} is the tail of the snapshot fixed when the split was made: a bounded split is
 * finished when the next URL to read equals it; a continuous split is in its tail from there on,
 * which {@code inTail} remembers (later tail URLs cannot be recognized by comparison).
 */
public final class BugfenderSplit implements SourceSplit {

    private final String splitId;
    private final LogQuery query;
    private final boolean bounded;
    private final String url;
    private final int offset;
    private final boolean inTail;
    private final String tailUrl;

    public BugfenderSplit(String splitId, LogQuery query, boolean bounded, String url, int offset, boolean inTail,
            String tailUrl) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.query = Objects.requireNonNull(query, "query");
        this.bounded = bounded;
        this.url = Objects.requireNonNull(url, "url");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        this.offset = offset;
        this.inTail = inTail;
        this.tailUrl = Objects.requireNonNull(tailUrl, "tailUrl");
    }

    /** A split at the start of a freshly fixed snapshot: {@code start} and {@code tail} from the paging contract. */
    public static BugfenderSplit atStart(LogQuery query, boolean bounded, String start, String tail) {
        return new BugfenderSplit(idFor(query, bounded), query, bounded, start, 0, start.equals(tail), tail);
    }

    /** Deterministic, so a split that is re-created (after an enumerator restart) keeps its id. */
    public static String idFor(LogQuery query, boolean bounded) {
        return bounded
                ? query.appId() + "@" + query.from() + "/" + (query.to() == null ? "open" : query.to().toString())
                : query.appId() + "@" + query.from() + "/tail";
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public String appId() {
        return query.appId();
    }

    public LogQuery query() {
        return query;
    }

    /** True for a time slice that ends at its snapshot's tail; false for snapshot-then-tail. */
    public boolean bounded() {
        return bounded;
    }

    /** The page to fetch next. */
    public String url() {
        return url;
    }

    /** Logs of {@link #url()} already emitted: skip them when the page is fetched. */
    public int offset() {
        return offset;
    }

    /** Whether {@link #url()} is a tail page (arrival order) rather than a snapshot page. */
    public boolean inTail() {
        return inTail;
    }

    /** The tail of the split's snapshot: the stop URL of a bounded split. */
    public String tailUrl() {
        return tailUrl;
    }

    /** Bounded and already at its stop URL: nothing left to read. */
    public boolean isFinished() {
        return bounded && url.equals(tailUrl);
    }

    public BugfenderSplit withPosition(String url, int offset, boolean inTail) {
        return new BugfenderSplit(splitId, query, bounded, url, offset, inTail, tailUrl);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BugfenderSplit)) {
            return false;
        }
        BugfenderSplit s = (BugfenderSplit) o;
        return s.splitId.equals(splitId) && s.query.equals(query) && s.bounded == bounded && s.url.equals(url)
                && s.offset == offset && s.inTail == inTail && s.tailUrl.equals(tailUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, query, bounded, url, offset, inTail, tailUrl);
    }

    /** URLs carry cursors, not credentials, but they are long: print the position compactly. */
    @Override
    public String toString() {
        return "BugfenderSplit{" + splitId + ", " + (bounded ? "bounded" : "continuous") + ", offset=" + offset
                + (inTail ? ", tail" : "") + "}";
    }
}
