package io.fendersec.source.split;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
 *
 * <p>On a server whose older snapshot pages carry no {@code previous} (the second reading of the
 * paging contract, see {@link io.fendersec.api.PagingContract}) the split is read <em>newest
 * first</em>: it fixes its snapshot again and walks it by {@code next}. The answer that fixes a
 * snapshot has no URL of its own that could be fetched twice, so while on it the position is
 * {@code url == null} ("fix the snapshot again") plus the uuids already emitted from it
 * ({@code seen}); a snapshot fixed later holds every log of the earlier one, so skipping those
 * uuids on the way down is exact. After that first answer the position is a page URL + offset as
 * in the oldest-first reading, {@code seen} is carried until the tail, and {@code tailUrl} is the
 * tail of the snapshot actually being read.
 */
public final class BugfenderSplit implements SourceSplit {

    private final String splitId;
    private final LogQuery query;
    private final boolean bounded;
    private final String url;
    private final int offset;
    private final boolean inTail;
    private final String tailUrl;
    private final boolean newestFirst;
    private final Set<String> seen;

    public BugfenderSplit(String splitId, LogQuery query, boolean bounded, String url, int offset, boolean inTail,
            String tailUrl) {
        this(splitId, query, bounded, url, offset, inTail, tailUrl, false, Set.of());
    }

    public BugfenderSplit(String splitId, LogQuery query, boolean bounded, String url, int offset, boolean inTail,
            String tailUrl, boolean newestFirst, Set<String> seen) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.query = Objects.requireNonNull(query, "query");
        this.bounded = bounded;
        if (url == null && (!newestFirst || inTail)) {
            throw new IllegalArgumentException("url may be null only for a newest-first split on its first answer");
        }
        this.url = url;
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        this.offset = offset;
        this.inTail = inTail;
        this.tailUrl = Objects.requireNonNull(tailUrl, "tailUrl");
        this.newestFirst = newestFirst;
        // Sorted, so that equal positions serialize to equal bytes.
        this.seen = seen.isEmpty() ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(seen));
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

    /** The page to fetch next; null for a newest-first split on the answer that fixes its snapshot. */
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

    /** Read by {@code next} from the newest page (older snapshot pages have no {@code previous}). */
    public boolean newestFirst() {
        return newestFirst;
    }

    /** Uuids to skip in the snapshot being read newest first (emitted from an earlier fix of it). */
    public Set<String> seen() {
        return seen;
    }

    /** Bounded, oldest first and already at its stop URL: nothing left to read. */
    public boolean isFinished() {
        return bounded && !newestFirst && url.equals(tailUrl);
    }

    public BugfenderSplit withPosition(String url, int offset, boolean inTail) {
        return new BugfenderSplit(splitId, query, bounded, url, offset, inTail, tailUrl, newestFirst, seen);
    }

    /** A newest-first position: {@code url} null while on the answer that fixes the snapshot. */
    public BugfenderSplit withNewestFirstPosition(String url, int offset, boolean inTail, String tailUrl,
            Set<String> seen) {
        return new BugfenderSplit(splitId, query, bounded, url, offset, inTail, tailUrl, true, seen);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BugfenderSplit)) {
            return false;
        }
        BugfenderSplit s = (BugfenderSplit) o;
        return s.splitId.equals(splitId) && s.query.equals(query) && s.bounded == bounded
                && Objects.equals(s.url, url) && s.offset == offset && s.inTail == inTail
                && s.tailUrl.equals(tailUrl) && s.newestFirst == newestFirst && s.seen.equals(seen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, query, bounded, url, offset, inTail, tailUrl, newestFirst, seen);
    }

    /** URLs carry cursors, not credentials, but they are long: print the position compactly. */
    @Override
    public String toString() {
        return "BugfenderSplit{" + splitId + ", " + (bounded ? "bounded" : "continuous") + ", offset=" + offset
                + (inTail ? ", tail" : "") + (newestFirst ? ", newest first" + (url == null ? ", refix" : "") : "")
                + (seen.isEmpty() ? "" : ", seen=" + seen.size()) + "}";
    }
}
