package io.fendersec.job;

import java.time.Duration;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * The Flink configuration a job spec implies. Only settings go in here, never secrets: this is
 * what the Flink UI and REST API show as the job's configuration.
 */
public final class FlinkConfig {
    /** How often a bounded run restarts after a failure before it fails (exit 5). */
    public static final int BOUNDED_RESTART_ATTEMPTS = 6;
    public static final Duration BOUNDED_MAX_BACKOFF = Duration.ofSeconds(10);
    /** How long a bounded run waits for a task slot before the attempt fails. */
    public static final Duration BOUNDED_SLOT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private FlinkConfig() {}

    /**
     * @param resumeFrom a retained checkpoint or savepoint to start from, or null
     */
    public static Configuration of(JobSpec spec, String resumeFrom) {
        Configuration c = new Configuration();
        c.set(CoreOptions.DEFAULT_PARALLELISM, spec.parallelism);
        c.set(PipelineOptions.NAME, "fendersec: " + spec.origin);
        // Every type has a serializer of its own: a Kryo fallback is a bug and must fail loudly.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, spec.checkpointing.interval);
        // Bounded jobs checkpoint too (the file sinks commit on checkpoints) until their sources end.
        c.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, true);
        if (spec.checkpointing.dir != null) {
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, spec.checkpointing.dir);
            c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        } else {
            // Without a directory Flink keeps checkpoints in the JobManager's memory, which refuses
            // any subtask state over 5 MB: a few ten thousand correlation groups failed every
            // checkpoint and with them the job (issue 26). A private temporary folder instead;
            // Flink discards each checkpoint when the next completes and all when the job ends.
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, ScratchCheckpoints.dir().toUri().toString());
        }
        c.set(StateBackendOptions.STATE_BACKEND, spec.checkpointing.backend.flinkName());
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, spec.checkpointing.incremental);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        boolean bounded = spec.source.settings.bounded();
        // A continuous job rides out an outage of a minute or two; a bounded run that keeps failing (a
        // sink that refuses every write, an operator's Error) must end with exit 5 soon: six attempts
        // with 1 s to 10 s between them, about 21 s of waiting (x1.5 each time) before the last failure.
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                bounded ? BOUNDED_MAX_BACKOFF : Duration.ofMinutes(1));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, bounded ? BOUNDED_RESTART_ATTEMPTS : 10);
        if (bounded) {
            // A TaskManager lost to a fatal error never comes back on the local MiniCluster: without
            // this the run waits 5 minutes (Flink's default) for slots, then restarts into the same wait.
            c.set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, BOUNDED_SLOT_REQUEST_TIMEOUT);
        }
        if (resumeFrom != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom);
        }
        return c;
    }
}
