package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.emulator.store.PagingLinks;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.sink.ArchiveSink;
import io.fendersec.source.BugfenderSource;

/**
 * Continuous mode end to end, over HTTP to the emulator, on a MiniCluster with two TaskManagers:
 * live arrivals, late uploads (device time hours old), an app that appears mid-run, a task failure
 * after a checkpoint (fixed-delay restart), then stop-with-savepoint, arrivals while the job is
 * down, and a restart from the savepoint. The archive (FileSink, committed on checkpoints) must hold
 * every arrived log exactly once, under both readings of the paging links.
 */
class BugfenderSourceContinuousIT {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2).build());

    /** Set once the injected failure has happened; the MiniCluster runs in this JVM. */
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean ARMED = new AtomicBoolean();

    @TempDir
    Path tmp;

    private final List<String> arrived = new ArrayList<>();
    private int seq;

    private void arrive(EmulatorFixture f, String app, int n, Instant base) {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String uuid = UUID.randomUUID().toString();
            Instant t = base.plusMillis(seq++);
            logs.add(LogRecord.builder().put(LogFields.UUID, uuid).put(LogFields.APP, app)
                    .put(LogFields.DEVICE_UDID, "dev-" + (seq % 7)).put(LogFields.TEXT, "log " + seq)
                    .put(LogFields.LOG_LEVEL, 4L).put(LogFields.TIME, t.toString())
                    .put(LogFields.ABSOLUTE_TIME, (long) seq).build());
            arrived.add(uuid);
        }
        f.emulator.append(app, logs);
    }

    private BugfenderSource source(EmulatorFixture f) {
        return BugfenderSource.builder().clientSettings(f.clientSettings()).continuous().from(FROM).pageSize(50)
                .pollInterval(Duration.ofMillis(100)).discoveryInterval(Duration.ofMillis(300)).build();
    }

    private JobClient start(EmulatorFixture f, Path archive, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        BugfenderSource source = source(f);
        env.fromSource(source, source.watermarkStrategy(), "bugfender").uid("bugfender-source")
                .map(new FailOnceAfterACheckpoint()).uid("fail-once")
                .sinkTo(ArchiveSink.create(archive.toString())).uid("archive");
        return env.executeAsync("continuous-it");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling a condition, not timing the system under test
        }
    }

    private void awaitArchived(Path archive) throws InterruptedException {
        await("the archive holds all " + arrived.size() + " arrived logs",
                () -> ArchiveFiles.committedUuids(archive).size() >= arrived.size());
    }

    @ParameterizedTest(name = "previous on {0} pages")
    @EnumSource(PagingLinks.class)
    void everyArrivedLogIsArchivedExactlyOnceThroughAFailureAndASavepoint(PagingLinks links,
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        FAILED.set(false);
        ARMED.set(false);
        Path archive = tmp.resolve("archive-" + links.option());
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0).pagingLinks(links))) {
            f.emulator.addApp("app-a", "A");
            f.emulator.addApp("app-b", "B");
            arrive(f, "app-a", 230, FROM.plus(Duration.ofHours(20))); // the snapshot: several pages
            arrive(f, "app-b", 170, FROM.plus(Duration.ofHours(20)));

            JobClient job = start(f, archive, null);
            awaitArchived(archive);
            ARMED.set(true); // the next record after the next completed checkpoint fails the task
            for (int round = 0; round < 6; round++) {
                arrive(f, "app-a", 40, FROM.plus(Duration.ofHours(21)));
                arrive(f, "app-b", 15, FROM.plus(Duration.ofHours(2))); // late uploads, hours old
                if (round == 2) {
                    f.emulator.addApp("app-c", "C"); // found by discovery
                    arrive(f, "app-c", 60, FROM.plus(Duration.ofHours(1)));
                }
                awaitArchived(archive);
            }
            assertThat(FAILED).as("the injected failure happened and the job recovered").isTrue();
            assertThat(ArchiveFiles.committedUuids(archive)).containsExactlyInAnyOrderElementsOf(arrived);

            String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.FINISHED);

            // While the job is down: new logs on every app, late ones too, and a quiet app gets its first.
            arrive(f, "app-a", 75, FROM.plus(Duration.ofHours(22)));
            arrive(f, "app-b", 20, FROM.plus(Duration.ofHours(3)));
            arrive(f, "app-c", 5, FROM.plus(Duration.ofHours(23)));

            JobClient restarted = start(f, archive, savepoint);
            try {
                awaitArchived(archive);
                arrive(f, "app-b", 30, FROM.plus(Duration.ofHours(23)));
                awaitArchived(archive);
                assertThat(ArchiveFiles.committedUuids(archive)).hasSameSizeAs(arrived)
                        .containsExactlyInAnyOrderElementsOf(arrived);
            } finally {
                restarted.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The job graph and the job's configuration, as the Flink REST API shows them, hold no secret:
     * the source carries a {@code ${file:}} reference, and the secret is read on the TaskManager.
     */
    @Test
    void noSecretInTheJobGraphOrItsConfiguration(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Path archive = tmp.resolve("archive-secrets");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp("app-s", "S");
            arrive(f, "app-s", 10, FROM.plus(Duration.ofHours(1)));
            byte[] serialized = InstantiationUtil.serializeObject(source(f));
            assertThat(new String(serialized, StandardCharsets.ISO_8859_1)).doesNotContain(f.secret)
                    .contains(f.secretFile.toString());

            JobClient job = start(f, archive, null);
            try {
                awaitArchived(archive); // the TaskManager signed in with the secret it read itself
                JobID id = job.getJobID();
                URI rest = cluster.getRestAddress().get();
                HttpClient http = HttpClient.newHttpClient();
                for (String path : List.of("/jobs/" + id + "/config", "/jobs/" + id + "/plan", "/jobs/" + id,
                        "/jobmanager/config")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(rest.resolve(path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path).isEqualTo(200);
                    assertThat(r.body()).as(path).doesNotContain(f.secret);
                }
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Fails its task once, on the first record after a checkpoint completed while armed. */
    static final class FailOnceAfterACheckpoint extends RichMapFunction<LogRecord, LogRecord>
            implements CheckpointListener {
        private transient boolean checkpointSeenWhileArmed;

        @Override
        public void open(OpenContext ctx) {
            checkpointSeenWhileArmed = false;
        }

        @Override
        public LogRecord map(LogRecord log) {
            if (checkpointSeenWhileArmed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected task failure");
            }
            return log;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointSeenWhileArmed |= ARMED.get();
        }
    }
}
