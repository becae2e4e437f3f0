package io.fendersec.source.reader;

import io.fendersec.model.LogRecord;

/**
 * What the fetcher hands to the emitter: a log with where it sits (page URL, index in the page).
 * The last log of a page that the reader moves on from also carries the next page's URL, so the
 * emitter moves the position to (next page, 0) right after emitting it. Only the emitter applies
 * either to the split state, so a checkpoint always sees a position that matches what was emitted.
 * (Every element is a log: Flink counts each one in {@code numRecordsIn}.)
 */
public final class PagedRecord {
    /** For tail pages: no event-time floor is known, they are in arrival order. */
    public static final long NO_FLOOR = Long.MIN_VALUE;

    private final LogRecord record;
    private final String pageUrl;
    private final int index;
    private final boolean inTail;
    private final long pageFloor;
    private final long fetchedAt;
    private final String nextUrl;
    private final boolean nextInTail;

    private PagedRecord(LogRecord record, String pageUrl, int index, boolean inTail, long pageFloor, long fetchedAt,
            String nextUrl, boolean nextInTail) {
        this.record = record;
        this.pageUrl = pageUrl;
        this.index = index;
        this.inTail = inTail;
        this.pageFloor = pageFloor;
        this.fetchedAt = fetchedAt;
        this.nextUrl = nextUrl;
        this.nextInTail = nextInTail;
    }

    /**
     * A log at {@code index} of {@code pageUrl}, fetched at {@code fetchedAt} (epoch millis, the
     * reader's clock). {@code pageFloor} is the lowest device time on a snapshot page (every later
     * log of the snapshot is at least as new), {@link #NO_FLOOR} on a tail page.
     */
    public static PagedRecord log(LogRecord record, String pageUrl, int index, boolean inTail, long pageFloor,
            long fetchedAt) {
        return new PagedRecord(record, pageUrl, index, inTail, pageFloor, fetchedAt, null, false);
    }

    /** The same log, as the last of its page: after it, reading goes on at {@code nextUrl}. */
    public PagedRecord thenContinueAt(String nextUrl, boolean nextInTail) {
        return new PagedRecord(record, pageUrl, index, inTail, pageFloor, fetchedAt, nextUrl, nextInTail);
    }

    public LogRecord record() {
        return record;
    }

    public String pageUrl() {
        return pageUrl;
    }

    public int index() {
        return index;
    }

    public boolean inTail() {
        return inTail;
    }

    public long pageFloor() {
        return pageFloor;
    }

    /** When the page holding this log was fetched, epoch millis: no honest clock is ahead of it. */
    public long fetchedAt() {
        return fetchedAt;
    }

    /** Where reading goes on after this log, or null when this log does not end a page being left. */
    public String nextUrl() {
        return nextUrl;
    }

    public boolean nextInTail() {
        return nextInTail;
    }
}
