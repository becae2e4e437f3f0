package io.fendersec.job;

import java.time.Duration;
import java.util.Locale;

/** The {@code checkpointing} section, and the {@code state} section: where keyed state lives and how it is saved. */
public final class CheckpointSpec {
    /** {@code state.backend}: where keyed state (correlation windows, episodes, waiting hits) lives. */
    public enum Backend {
        /** On the heap: fastest, bounded by the heap (see rules.max-groups). */
        HASHMAP,
        /** In RocksDB on local disk, off the heap: state larger than memory, incremental checkpoints. */
        ROCKSDB;

        /** The name Flink's {@code state.backend.type} knows. */
        public String flinkName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public final Duration interval;
    /** A Flink file system URI such as file:///var/lib/fendersec/checkpoints, or null for none kept. */
    public final String dir;
    public final Backend backend;
    /** {@code state.incremental}: checkpoints upload only what changed (RocksDB); default on. */
    public final boolean incremental;

    CheckpointSpec(Duration interval, String dir) {
        this(interval, dir, Backend.HASHMAP, true);
    }

    CheckpointSpec(Duration interval, String dir, Backend backend, boolean incremental) {
        this.interval = interval;
        this.dir = dir;
        this.backend = backend;
        this.incremental = incremental;
    }
}
