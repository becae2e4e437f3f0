package io.fendersec.job;

import java.time.Duration;

/** The {@code checkpointing} section. */
public final class CheckpointSpec {
    public final Duration interval;
    /** A Flink file system URI such as file:///var/lib/fendersec/checkpoints, or null for none kept. */
    public final String dir;

    CheckpointSpec(Duration interval, String dir) {
        this.interval = interval;
        this.dir = dir;
    }
}
