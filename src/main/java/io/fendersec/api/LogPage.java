package io.fendersec.api;

import java.util.List;

import io.fendersec.model.LogRecord;

/**
 * One answer of {@code /logs/paginated}: its records in the server's order, and the absolute
 * cursor URLs it links to (null where the server gave none). {@code url} is the URL that was
 * requested; it is a stable position only when it carries a cursor.
 */
public final class LogPage {
    private final String url;
    private final List<LogRecord> records;
    private final String next;
    private final String previous;
    private final String last;
    private final String queryId;
    private final int size;

    public LogPage(String url, List<LogRecord> records, String next, String previous, String last, String queryId) {
        this(url, List.copyOf(records), records.size(), next, previous, last, queryId);
    }

    private LogPage(String url, List<LogRecord> records, int size, String next, String previous, String last,
            String queryId) {
        this.url = url;
        this.records = records;
        this.size = size;
        this.next = next;
        this.previous = previous;
        this.last = last;
        this.queryId = queryId;
    }

    /**
     * An answer read for its links only: {@code size} logs were on it, none kept ({@link #records()}
     * is empty). What fixing a snapshot needs, without building records nobody reads.
     */
    public static LogPage linksOnly(String url, int size, String next, String previous, String last, String queryId) {
        return new LogPage(url, List.of(), size, next, previous, last, queryId);
    }

    /** How many logs the answer had (equal to {@code records().size()} unless read for its links only). */
    public int size() {
        return size;
    }

    public String url() {
        return url;
    }

    public List<LogRecord> records() {
        return records;
    }

    /** Toward older logs of the same snapshot. */
    public String next() {
        return next;
    }

    /** Toward newer logs: the newer snapshot page, or the tail after the snapshot's newest page. */
    public String previous() {
        return previous;
    }

    /** The snapshot's oldest page. */
    public String last() {
        return last;
    }

    public String queryId() {
        return queryId;
    }

    @Override
    public String toString() {
        return "LogPage{url=" + url + ", size=" + size + ", next=" + next + ", previous=" + previous
                + ", last=" + last + "}";
    }
}
