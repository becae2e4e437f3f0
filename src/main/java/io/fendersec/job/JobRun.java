package io.fendersec.job;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.api.App;
import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.ClientSettings;
import io.fendersec.api.LogQuery;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.error.FendersecException;
import io.fendersec.error.JobFailedException;
import io.fendersec.sink.budget.AlertBudgetFunction;
import io.fendersec.source.archive.ArchiveSource;

/**
 * Runs one job spec: starts the embedded emulator when the spec asks for it, resolves the time
 * range, resumes from a retained checkpoint, assembles the pipeline, executes it and reports.
 * Shared by {@code fendersec run} and {@code fendersec demo}.
 */
public final class JobRun {
    /**
     * Live counts while the job runs, for a progress line. {@code total}: the logs a bounded run will
     * read (the server's {@code /logs/count} over the range, per app), or -1 when not (yet) known.
     */
    public record Progress(long logs, long alerts, long total, Duration elapsed) {}

    private final JobSpec spec;
    private String fromCheckpoint;
    private boolean fresh;
    private Clock clock = Clock.systemUTC();
    private Consumer<String> log = s -> {};
    private Consumer<Progress> progress;
    private Consumer<EmbeddedEmulator> onEmulator = e -> {};
    private long shownLogs;
    private long shownAlerts;

    private JobRun(JobSpec spec) {
        this.spec = spec;
    }

    /** A run of {@code spec}; the setters below tune it, {@link #run()} runs it. */
    public static JobRun of(JobSpec spec) {
        return new JobRun(spec);
    }

    public JobRun fromCheckpoint(String path) {
        this.fromCheckpoint = path;
        return this;
    }

    public JobRun fresh(boolean fresh) {
        this.fresh = fresh;
        return this;
    }

    public JobRun clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Where one-line notes go (the CLI's stderr). */
    public JobRun log(Consumer<String> log) {
        this.log = log;
        return this;
    }

    /** Called about twice a second while the job runs (once a second off a local MiniCluster). */
    public JobRun progress(Consumer<Progress> progress) {
        this.progress = progress;
        return this;
    }

    /** Called once the embedded emulator is up (the demo reads its labels). */
    public JobRun onEmulator(Consumer<EmbeddedEmulator> onEmulator) {
        this.onEmulator = onEmulator;
        return this;
    }

    public RunResult run() throws IOException, InterruptedException {
        Instant now = clock.instant();
        String resume = resumePoint();
        if (resume != null) {
            log.accept("resuming from " + resume);
        }
        if (spec.source.archive != null) {
            // A hunt in the archive: no server to ask; the range as written, else the last 24 hours.
            Instant from = spec.source.resolveFrom(now, now.minus(SourceSpec.DEFAULT_LOOKBACK));
            return execute(null, from, spec.source.resolveTo(now, now), resume);
        }
        EmbeddedEmulator emulator = spec.source.emulator == null ? null : EmbeddedEmulator.start(spec.source.emulator);
        try {
            ClientSettings client;
            Instant from;
            Instant to;
            if (emulator != null) {
                onEmulator.accept(emulator);
                client = emulator.client();
                from = spec.source.resolveFrom(now, emulator.start());
                to = spec.source.resolveTo(now, emulator.end());
            } else {
                client = spec.source.client;
                from = spec.source.resolveFrom(now, now.minus(SourceSpec.DEFAULT_LOOKBACK));
                to = spec.source.resolveTo(now, now);
            }
            return execute(client, from, to, resume);
        } finally {
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    private String resumePoint() {
        if (fromCheckpoint != null) {
            return fromCheckpoint;
        }
        if (fresh || spec.checkpointing.dir == null) {
            return null;
        }
        return RetainedCheckpoints.newest(spec.checkpointing.dir).map(Path::toUri).map(Object::toString).orElse(null);
    }

    private RunResult execute(ClientSettings client, Instant from, Instant to, String resume)
            throws InterruptedException {
        Configuration conf = FlinkConfig.of(spec, resume);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        boolean local = env instanceof LocalStreamEnvironment;
        if (local) {
            // Only a MiniCluster shares this JVM, so only there can the summary read the source's counters.
            LocalRunMetrics.enable(conf);
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        Pipeline.assemble(env, spec, client, from, to);
        log.accept("reading " + (to == null ? "from " + from + " on (continuous)" : from + " to " + to));

        long t0 = System.nanoTime();
        CompletableFuture<Long> total = progress == null || to == null || client == null ? CompletableFuture.completedFuture(-1L)
                : CompletableFuture.supplyAsync(() -> countLogs(client, from, to));
        JobClient job;
        try {
            job = env.executeAsync("fendersec: " + spec.origin);
        } catch (Exception e) {
            throw failure(e);
        }
        if (!local && to == null) {
            log.accept("submitted continuous job " + job.getJobID());
            return new RunResult(Map.of(), Map.of(), Map.of(), Duration.ZERO, resume);
        }
        JobExecutionResult result;
        try {
            result = await(job, t0, local, total);
        } catch (ExecutionException e) {
            throw failure(e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new RunResult(counts(result.getAccumulatorResult(RunCounters.LOGS)),
                counts(result.getAccumulatorResult(RunCounters.ALERTS)),
                local ? LocalRunMetrics.totals() : Map.of(), took, resume, dropped(result.getAllAccumulatorResults()));
    }

    private JobExecutionResult await(JobClient job, long t0, boolean local, CompletableFuture<Long> total)
            throws InterruptedException, ExecutionException {
        shownLogs = 0;
        shownAlerts = 0;
        while (true) {
            try {
                return job.getJobExecutionResult().get(local ? 500 : 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (progress != null) {
                    reportProgress(job, t0, local, total.getNow(-1L));
                }
            }
        }
    }

    private void reportProgress(JobClient job, long t0, boolean local, long total) {
        try {
            long logs;
            long alerts;
            if (local) {
                // The MiniCluster shares this JVM: read the counters' gauges now (accumulators only
                // travel with TaskManager heartbeats, seconds late).
                // Never backwards: the gauges go when tasks end (or fail over and restore a lower count).
                logs = shownLogs = Math.max(shownLogs, LocalRunMetrics.liveSum(RunCounters.LOGS_GAUGE));
                alerts = shownAlerts = Math.max(shownAlerts, LocalRunMetrics.liveSum(RunCounters.ALERTS_GAUGE));
            } else {
                Map<String, Object> acc = job.getAccumulators().get(1, TimeUnit.SECONDS);
                logs = counts(acc.get(RunCounters.LOGS)).values().stream().mapToLong(Long::longValue).sum();
                alerts = counts(acc.get(RunCounters.ALERTS)).values().stream().mapToLong(Long::longValue).sum();
            }
            progress.accept(new Progress(logs, alerts, total, Duration.ofNanos(System.nanoTime() - t0)));
        } catch (Exception e) {
            // progress is best effort: the job may be finishing
        }
    }

    /**
     * The logs a bounded read of [from, to) will see: {@code /logs/count} per app (the same snapshot
     * rules as the paged read, so equal unless logs arrive meanwhile). -1 when the server cannot tell;
     * a progress line is not worth failing the run for.
     */
    private long countLogs(ClientSettings client, Instant from, Instant to) {
        try (BugfenderApi api = BugfenderApi.create(client, ClientMetrics.NONE)) {
            List<String> apps = spec.source.settings.allApps() ? api.apps().stream().map(App::id).toList()
                    : spec.source.settings.appIds();
            long sum = 0;
            for (String app : apps) {
                sum += api.count(LogQuery.builder(app, from).to(to).build());
            }
            return sum;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> counts(Object accumulator) {
        return accumulator == null ? Map.of() : new TreeMap<>((Map<String, Long>) accumulator);
    }

    /** The matches each filter or exception dropped, from the detection's accumulators. */
    private static Map<String, Long> dropped(Map<String, Object> accumulators) {
        Map<String, Long> out = new TreeMap<>();
        accumulators.forEach((name, v) -> {
            if (name.startsWith(DetectionPipeline.DROPPED_PREFIX) && v instanceof Long n) {
                out.put(name.substring(DetectionPipeline.DROPPED_PREFIX.length()), n);
            } else if (name.startsWith(ArchiveSource.SKIPPED_PREFIX) && v instanceof Long n && n > 0) {
                out.put(name, n); // what a hunt did not read as a log of its range, by reason
            } else if (name.startsWith(AlertBudgetFunction.HELD_PREFIX) && v instanceof Long n) {
                out.put(RunResult.BUDGET_LABEL + name.substring(AlertBudgetFunction.HELD_PREFIX.length()), n);
            }
        });
        return out;
    }

    private static RuntimeException failure(Exception e) {
        return JobFailures.failure(e);
    }
}
