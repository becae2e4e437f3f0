package io.fendersec.detect.correlate;

/**
 * When a group's one event-time timer is due, kept beside its state so that scheduling it reads
 * neither the waiting hits nor the rules' windows: the earliest waiting hit, and the moment the
 * group's last rule state may be dropped (the latest over its rules of latest time + retention).
 * {@link #NONE} for either when there is none. Immutable; serialized by {@link GroupClockSerializer}.
 *
 * <p>{@link #cleanup} may be later than the state now needs (a rule pruned or dropped since): the
 * timer then fires, finds nothing due and the group's state is recomputed. It is never earlier.
 */
public record GroupClock(long firstWaiting, long cleanup) {
    /** No time: nothing waits, or no rule state to clean up, or (as a deadline) no timer. */
    public static final long NONE = Long.MIN_VALUE;
    /** A cleanup time past what a long holds (a device clock set to the end of time): no timer, kept. */
    public static final long FOREVER = Long.MAX_VALUE;
    public static final GroupClock EMPTY = new GroupClock(NONE, NONE);

    /** The group's one timer: the earliest waiting hit or the cleanup, whichever is first; {@link #NONE} for none. */
    public long deadline() {
        long c = cleanup == FOREVER ? NONE : cleanup;
        if (firstWaiting == NONE) {
            return c;
        }
        return c == NONE ? firstWaiting : Math.min(firstWaiting, c);
    }

    /** With a hit waiting at {@code time} as well. */
    public GroupClock waiting(long time) {
        return firstWaiting != NONE && firstWaiting <= time ? this : new GroupClock(time, cleanup);
    }

    public GroupClock withFirstWaiting(long time) {
        return time == firstWaiting ? this : new GroupClock(time, cleanup);
    }

    /** With a rule state that may be dropped at {@code time} as well (the later cleanup wins). */
    public GroupClock keeping(long time) {
        return time == NONE || (cleanup != NONE && cleanup >= time) ? this : new GroupClock(firstWaiting, time);
    }

    public GroupClock withCleanup(long time) {
        return time == cleanup ? this : new GroupClock(firstWaiting, time);
    }

    public boolean isEmpty() {
        return firstWaiting == NONE && cleanup == NONE;
    }
}
