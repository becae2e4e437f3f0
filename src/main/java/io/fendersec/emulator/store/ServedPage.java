package io.fendersec.emulator.store;

import java.util.List;

/**
 * One answer of the paginated endpoint before it becomes JSON: the logs, and the cursors its
 * {@code next}, {@code previous} and {@code last} links point to (null for a null link).
 */
public final class ServedPage {
    private final List<StoredLog> data;
    private final Cursor next;
    private final Cursor previous;
    private final Cursor last;
    private final String queryId;

    ServedPage(List<StoredLog> data, Cursor next, Cursor previous, Cursor last, String queryId) {
        this.data = data;
        this.next = next;
        this.previous = previous;
        this.last = last;
        this.queryId = queryId;
    }

    public List<StoredLog> data() {
        return data;
    }

    public Cursor next() {
        return next;
    }

    public Cursor previous() {
        return previous;
    }

    public Cursor last() {
        return last;
    }

    public String queryId() {
        return queryId;
    }
}
