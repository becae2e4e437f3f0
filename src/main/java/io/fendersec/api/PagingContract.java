package io.fendersec.api;

/**
 * How pages of {@code /logs/paginated} link up, in one place, so that a difference found against
 * the real service is a change to this class only (see docs/bugfender-api.md).
 *
 * <p>A query without a cursor fixes a snapshot. Its answer links to the snapshot's oldest page
 * ({@code last}) and to the tail after the snapshot ({@code previous}). Following
 * {@code previous} from the oldest page walks the snapshot page by page toward newer logs, and
 * from the newest page straight into the tail: logs that arrived after the snapshot, in arrival
 * order. An empty tail page has no {@code previous}: poll the same URL again later.
 *
 * <p>Every URL on that walk carries a cursor and is stable (the same logs each time; a tail page
 * may gain logs, never change them), so "URL of the current page + number of its logs already
 * emitted" is an exact position, and a reader that starts at {@link #start} and follows
 * {@link #after} sees every log of the snapshot and then every later arrival exactly once.
 *
 * <p><b>The open question</b> (docs/bugfender-api.md): public clients only follow {@code previous}
 * from a first answer, so a server may equally well put {@code previous} only on the answer that
 * fixed the snapshot and link older pages by {@code next} alone. {@link #linksNewer} tells the two
 * readings apart on the first snapshot page fetched by cursor. Under the second one a reader walks
 * the snapshot newest first: it fixes the snapshot ({@code firstPage}), takes that answer's logs,
 * follows {@link #older} down to the oldest page (no {@code next}) and then the answer's
 * {@link #tail}. The first answer has no URL that could be fetched twice; a reader that must resume
 * inside it fixes the snapshot again (a later snapshot holds every log of an earlier one) and skips
 * the logs it already emitted.
 */
public final class PagingContract {

    private PagingContract() {}

    /**
     * Where a reader starts, given the answer that fixed the snapshot: the snapshot's oldest page,
     * or its tail when the snapshot is empty.
     */
    public static String start(LogPage first) {
        if (first.last() != null) {
            return first.last();
        }
        if (first.size() > 0) {
            throw new IllegalStateException("the server's answer has logs but no 'last' cursor: "
                    + "the paging contract does not hold for " + first.url());
        }
        return requireTail(first);
    }

    /**
     * The tail of the snapshot that {@code first} fixed. A bounded read is complete when the URL
     * it would follow next equals this one.
     */
    public static String tail(LogPage first) {
        return requireTail(first);
    }

    /**
     * The URL to read after {@code page} (an oldest-first snapshot page, or a tail page), or null
     * when there is nothing newer yet (poll again).
     */
    public static String after(LogPage page) {
        return page.previous();
    }

    /**
     * Whether a snapshot page fetched by its cursor links to newer logs by {@code previous}: true
     * under the first reading; false when only the answer that fixed a snapshot carries it, and the
     * snapshot has to be read newest first.
     */
    public static boolean linksNewer(LogPage snapshotPageByCursor) {
        return snapshotPageByCursor.previous() != null;
    }

    /** Newest-first reading: the next older page of the snapshot, or null on its oldest page. */
    public static String older(LogPage page) {
        return page.next();
    }

    private static String requireTail(LogPage first) {
        if (first.previous() == null) {
            throw new IllegalStateException("the server's answer has no 'previous' (tail) cursor: "
                    + "the paging contract does not hold for " + first.url());
        }
        return first.previous();
    }
}
