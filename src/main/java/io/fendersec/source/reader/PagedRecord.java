package io.fendersec.source.reader;

import io.fendersec.model.LogRecord;

/**
 * What the fetcher hands to the emitter: a log with where it sits (page URL, index in the page),
 * or a marker saying "every log of the page before was handed over; the position moves to
 * {@code pageUrl}". Only the emitter applies either to the split state, in order, so a checkpoint
 * always sees a position that matches what was emitted.
 */
public final class PagedRecord {
    /** For snapshot pages, no event-time floor known: tail pages are in arrival order. */
    public static final long NO_FLOOR = Long.MIN_VALUE;

    private final LogRecord record;
    private final String pageUrl;
    private final int index;
    private final boolean inTail;
    private final long pageFloor;

    private PagedRecord(LogRecord record, String pageUrl, int index, boolean inTail, long pageFloor) {
        this.record = record;
        this.pageUrl = pageUrl;
        this.index = index;
        this.inTail = inTail;
        this.pageFloor = pageFloor;
    }

    /**
     * A log at {@code index} of {@code pageUrl}. {@code pageFloor} is the lowest event time on a
     * snapshot page (every later log of the snapshot is at least as new), {@link #NO_FLOOR} on a tail page.
     */
    public static PagedRecord log(LogRecord record, String pageUrl, int index, boolean inTail, long pageFloor) {
        return new PagedRecord(record, pageUrl, index, inTail, pageFloor);
    }

    /** The page before was fully handed over; reading goes on at {@code nextUrl}. */
    public static PagedRecord advance(String nextUrl, boolean nextInTail) {
        return new PagedRecord(null, nextUrl, 0, nextInTail, NO_FLOOR);
    }

    public boolean isAdvance() {
        return record == null;
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
}
