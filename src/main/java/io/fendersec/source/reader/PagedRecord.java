package io.fendersec.source.reader;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * What the fetcher hands to the emitter: a log with where it sits (page URL, index in the page).
 * The last log of a page that the reader moves on from also carries the next page's URL, so the
 * emitter moves the position to (next page, 0) right after emitting it. Only the emitter applies
 * either to the split state, so a checkpoint always sees a position that matches what was emitted.
 * (Every element is a log: Flink counts each one in {@code numRecordsIn}.)
 *
 * <p>A log of a snapshot read newest first also carries the tail of that snapshot, and its
 * {@code pageUrl} is null on the answer that fixed the snapshot (see {@link
 * io.fendersec.source.split.BugfenderSplit}).
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
    /** Non-null only for a log of a snapshot read newest first: that snapshot's tail. */
    private final String newestFirstTail;

    private PagedRecord(LogRecord record, String pageUrl, int index, boolean inTail, long pageFloor, long fetchedAt,
            String nextUrl, boolean nextInTail, String newestFirstTail) {
        this.record = record;
        this.pageUrl = pageUrl;
        this.index = index;
        this.inTail = inTail;
        this.pageFloor = pageFloor;
        this.fetchedAt = fetchedAt;
        this.nextUrl = nextUrl;
        this.nextInTail = nextInTail;
        this.newestFirstTail = newestFirstTail;
    }

    /**
     * A log at {@code index} of {@code pageUrl}, fetched at {@code fetchedAt} (epoch millis, the
     * reader's clock). {@code pageFloor} is the lowest device time on a snapshot page (every later
     * log of the snapshot is at least as new), {@link #NO_FLOOR} on a tail page.
     */
    public static PagedRecord log(LogRecord record, String pageUrl, int index, boolean inTail, long pageFloor,
            long fetchedAt) {
        return new PagedRecord(record, pageUrl, index, inTail, pageFloor, fetchedAt, null, false, null);
    }

    /**
     * A log at {@code index} of a snapshot page read newest first ({@code pageUrl} null: the answer
     * that fixed the snapshot), fetched at {@code fetchedAt}, whose snapshot's tail is {@code tailUrl}.
     * No event-time floor: older pages follow.
     */
    public static PagedRecord newestFirst(LogRecord record, String pageUrl, int index, String tailUrl,
            long fetchedAt) {
        return new PagedRecord(record, pageUrl, index, false, NO_FLOOR, fetchedAt, null, false, tailUrl);
    }

    /** The same log, as the last of its page: after it, reading goes on at {@code nextUrl}. */
    public PagedRecord thenContinueAt(String nextUrl, boolean nextInTail) {
        return new PagedRecord(record, pageUrl, index, inTail, pageFloor, fetchedAt, nextUrl, nextInTail,
                newestFirstTail);
    }

    /**
     * What identifies a log among the logs of one query: its uuid, or (device, time, absolute_time),
     * which the API documents as unique per app, when a server sends none.
     */
    public static String identity(LogRecord log) {
        String uuid = log.uuid();
        return uuid != null ? uuid
                : "\u0000" + log.getString(LogFields.DEVICE_UDID) + "\u0000" + log.getString(LogFields.TIME) + "\u0000"
                        + log.absoluteTime();
    }

    /** Whether this log comes from a snapshot read newest first. */
    public boolean isNewestFirst() {
        return newestFirstTail != null;
    }

    /** The tail of the snapshot this newest-first log belongs to; null otherwise. */
    public String newestFirstTail() {
        return newestFirstTail;
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
