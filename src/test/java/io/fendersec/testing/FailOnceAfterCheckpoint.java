package io.fendersec.testing;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A pass-through map that throws once, after a checkpoint has completed and {@code after} records
 * have passed it: the failure that exactly-once tests recover from. Its flags are static because
 * the operator is a serialized copy in the job; tests call {@link #reset()} first.
 */
public final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    private final int after;
    private int seen;

    public FailOnceAfterCheckpoint(int after) {
        this.after = after;
    }

    public static void reset() {
        CHECKPOINTED.set(false);
        FAILED.set(false);
    }

    /** Whether the failure was injected. */
    public static boolean failed() {
        return FAILED.get();
    }

    @Override
    public T map(T value) {
        if (++seen > after && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTED.set(true);
    }
}
