package io.fendersec.source.split;

import java.util.HashSet;
import java.util.Set;

/**
 * The reader's mutable view of a split. Only the record emitter moves it (record by record), so a
 * checkpoint taken between two records snapshots exactly what was emitted.
 */
public final class BugfenderSplitState {
    private final BugfenderSplit split;
    private String url;
    private int offset;
    private boolean inTail;
    private boolean newestFirst;
    private String tailUrl;
    /** Newest-first reading: uuids to skip until the tail (the split's, plus those emitted from a first answer). */
    private Set<String> seen;
    /** Newest device time read on this split, epoch millis; Long.MIN_VALUE before the first. */
    private long newestTime = Long.MIN_VALUE;
    /** The split-local watermark emitted last; not checkpointed (Flink does not restore watermarks either). */
    private long watermark = Long.MIN_VALUE;
    /**
     * Bounded slices: the lowest event time any log not yet emitted can have, epoch millis: the range
     * start, then the lowest time on the snapshot page being emitted (pages are walked oldest first).
     * Not checkpointed: a restored split starts again from its range start.
     */
    private long floor;

    public BugfenderSplitState(BugfenderSplit split) {
        this.split = split;
        this.url = split.url();
        this.offset = split.offset();
        this.inTail = split.inTail();
        this.newestFirst = split.newestFirst();
        this.tailUrl = split.tailUrl();
        this.seen = split.seen();
        this.floor = split.query().from().toEpochMilli();
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

    /**
     * The log at {@code index} of a snapshot page read newest first was emitted; {@code pageUrl} null
     * means the answer that fixed the snapshot (it cannot be fetched twice: remember the log's uuid).
     */
    public void emittedNewestFirst(String pageUrl, int index, String uuid, String snapshotTail, long eventTime) {
        this.newestFirst = true;
        this.inTail = false;
        this.tailUrl = snapshotTail;
        this.url = pageUrl;
        if (pageUrl == null) {
            if (!(seen instanceof HashSet)) {
                seen = new HashSet<>(seen);
            }
            seen.add(uuid);
            this.offset = 0;
        } else {
            this.offset = index + 1;
        }
        if (eventTime > newestTime) {
            newestTime = eventTime;
        }
    }

    /** Every record of the current page was emitted; reading goes on at {@code nextUrl}. */
    public void advanceTo(String nextUrl, boolean nextInTail) {
        this.url = nextUrl;
        this.offset = 0;
        this.inTail = nextInTail;
        if (nextInTail) {
            seen = Set.of(); // the tail holds only logs that arrived after the snapshot
        }
    }

    public long newestTime() {
        return newestTime;
    }

    public long floor() {
        return floor;
    }

    /** Emitting from a snapshot page whose lowest event time is {@code floor}. */
    public void floor(long floor) {
        this.floor = floor;
    }

    public long watermark() {
        return watermark;
    }

    public void watermark(long watermark) {
        this.watermark = watermark;
    }

    public BugfenderSplit toSplit() {
        return newestFirst ? split.withNewestFirstPosition(url, offset, inTail, tailUrl, seen)
                : split.withPosition(url, offset, inTail);
    }
}
