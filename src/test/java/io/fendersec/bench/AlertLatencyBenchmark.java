package io.fendersec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.job.FlinkConfig;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.job.Pipeline;
import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.report.AlertFiles;
import io.fendersec.source.it.ArchiveFiles;
import io.fendersec.source.it.EmulatorFixture;

/**
 * Issue #13's latency promise, measured: a continuous job (the job file of the issue: poll 1 s,
 * out-of-orderness 5 s, idleness 5 s, checkpoints every 2 s, parallelism 1, built-in pack, alert
 * file sink, archive) on a local MiniCluster, reading the in-process emulator over HTTP. Then N
 * brute forces, one after another, each 10 failed sign-ins from a new device arriving at 8 logs/s
 * with device times 4 s apart ending at arrival; nothing else arrives, so each attack's completing
 * log is the newest log of the app (the hard case: only a tail found quiet moves event time past it).
 * Latency = the alert's file committed (first seen by a watcher polling every 20 ms) − the
 * completing log appended at the emulator.
 * <pre>
 * AlertLatencyBenchmark N [forged]   forged: one log dated 2099 from another device before the first attack
 * </pre>
 */
public final class AlertLatencyBenchmark {
    private static final String APP = "app-1";
    private static long seq;

    private AlertLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean forged = args.length > 1 && args[1].equals("forged");
        Path tmp = Files.createTempDirectory("fendersec-latency");
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0))) {
            f.emulator.addApp(APP, "One");
            Instant now = Instant.now();
            List<LogRecord> snapshot = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                snapshot.add(log("phone-" + (i % 5), "Screen shown: home", now.minus(Duration.ofMinutes(20)).plusSeconds(7L * i)));
            }
            f.emulator.append(APP, snapshot);
            JobClient job = start(f, tmp);
            try {
                Path alerts = tmp.resolve("alerts");
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (ArchiveFiles.committedUuids(tmp.resolve("logs")).size() < snapshot.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the snapshot was not archived within 120 s");
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                if (forged) {
                    f.emulator.append(APP, List.of(log("forger-1", "Screen shown: home", Instant.parse("2099-01-01T00:00:00Z"))));
                    TimeUnit.MILLISECONDS.sleep(125);
                }
                List<Double> latencies = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    String device = "attacker-" + k;
                    Instant end = Instant.now().plusMillis(9 * 125);
                    long arrived = 0;
                    for (int i = 0; i < 10; i++) {
                        f.emulator.append(APP, List.of(log(device, "Login failed for bob@example.com",
                                end.minusSeconds(4L * (9 - i)))));
                        arrived = System.nanoTime();
                        if (i < 9) {
                            TimeUnit.MILLISECONDS.sleep(125); // 8 logs/s
                        }
                    }
                    long limit = arrived + Duration.ofSeconds(120).toNanos();
                    while (!hasAlert(alerts, device)) {
                        if (System.nanoTime() > limit) {
                            throw new IllegalStateException("no alert for " + device + " within 120 s");
                        }
                        TimeUnit.MILLISECONDS.sleep(20);
                    }
                    double s = (System.nanoTime() - arrived) / 1e9;
                    latencies.add(s);
                    System.out.printf(Locale.ROOT, "attack %d: %.2f s%n", k, s);
                }
                List<Double> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
                System.out.printf(Locale.ROOT, "%s: n=%d median %.2f s, max %.2f s (promise: poll 1 + ooo 5 + checkpoint 2 + 2 = 10 s)%n",
                        forged ? "after a 2099 log" : "quiet tail", n, median, sorted.get(sorted.size() - 1));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean hasAlert(Path dir, String device) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Alert a : AlertFiles.read(AlertFiles.find(List.of(dir))).alerts()) {
            if (a.ruleId().equals("brute-force") && device.equals(a.group().get("device.udid"))) {
                return true;
            }
        }
        return false;
    }

    private static LogRecord log(String device, String text, Instant time) {
        seq++;
        return LogRecord.builder().put(LogFields.UUID, UUID.randomUUID().toString()).put(LogFields.APP, APP)
                .put(LogFields.DEVICE_UDID, device).put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, time.toString()).put(LogFields.ABSOLUTE_TIME, seq).build();
    }

    private static JobClient start(EmulatorFixture f, Path out) throws Exception {
        Path file = out.resolve("job.yaml");
        Files.writeString(file, String.join("\n",
                "source:",
                f.sourceYaml(),
                "  mode: continuous",
                "  from: -1h",
                "  page-size: 100",
                "  poll-interval: 1s",
                "  max-out-of-orderness: 5s",
                "  idleness: 5s",
                "sinks:",
                "  archive: {path: " + out.resolve("logs") + "}",
                "  alerts: [{type: file, path: " + out.resolve("alerts") + "}]",
                "checkpointing: {interval: 2s}",
                "parallelism: 1",
                ""));
        JobSpec spec = new JobSpecReader().read(file);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkConfig.of(spec, null));
        Instant now = Instant.now();
        Pipeline.assemble(env, spec, spec.source.client, spec.source.resolveFrom(now, now), null);
        return env.executeAsync("alert-latency-benchmark");
    }
}
