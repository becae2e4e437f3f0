package io.fendersec.source.split;

/**
 * The reader's mutable view of a split. Only the record emitter moves it (record by record), so a
 * checkpoint taken between two records snapshots exactly what was emitted.
 */
public final class BugfenderSplitState {
    private final BugfenderSplit split;
    private String url;
    private int offset;
    private boolean inTail;
    /** Newest device time read on this split, epoch millis; Long.MIN_VALUE before the first. */
    private long newestTime = Long.MIN_VALUE;
    /** The split-local watermark emitted last; not checkpointed (Flink does not restore watermarks either). */
    private long watermark = Long.MIN_VALUE;

    public BugfenderSplitState(BugfenderSplit split) {
        this.split = split;
        this.url = split.url();
        this.offset = split.offset();
        this.inTail = split.inTail();
    }

    public BugfenderSplit split() {
        return split;
    }

    public String splitId() {
        return split.splitId();
    }

    public String url() {
        return url;
    }

    public int offset() {
        return offset;
    }

    public boolean inTail() {
        return inTail;
    }

    /** The record at {@code index} of page {@code pageUrl} was emitted. */
    public void emitted(String pageUrl, int index, boolean pageInTail, long eventTime) {
        this.url = pageUrl;
        this.offset = index + 1;
        this.inTail = pageInTail;
        if (eventTime > newestTime) {
            newestTime = eventTime;
        }
    }

    /** Every record of the current page was emitted; reading goes on at {@code nextUrl}. */
    public void advanceTo(String nextUrl, boolean nextInTail) {
        this.url = nextUrl;
        this.offset = 0;
        this.inTail = nextInTail;
    }

    public long newestTime() {
        return newestTime;
    }

    public long watermark() {
        return watermark;
    }

    public void watermark(long watermark) {
        this.watermark = watermark;
    }

    public BugfenderSplit toSplit() {
        return split.withPosition(url, offset, inTail);
    }
}
