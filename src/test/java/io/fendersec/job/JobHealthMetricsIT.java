package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.api.App;
import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.LogQuery;
import io.fendersec.emulator.Faults;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.report.AlertFiles;
import io.fendersec.source.it.EmulatorFixture;

/**
 * Job health, read where Prometheus reads it: the metric registry of a real MiniCluster (an
 * in-memory reporter). A bounded run through faults checks the per-source metrics (pages,
 * retries, rate-limit waits, token refreshes) and the per-app and per-rule counts against what
 * the emulator and the alert files say independently; a continuous run, while it keeps running,
 * checks the lag behind the tail and the count of logs too late for correlations, and that every
 * metric the Grafana dashboard's job-health row queries is one Flink's Prometheus reporter
 * serves for this job.
 */
class JobHealthMetricsIT {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    private static final int PROMETHEUS_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(withPrometheus(METRICS.addToConfiguration(new Configuration())))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Flink's Prometheus reporter, configured as docker-compose.yml and deploy/k8s configure it. */
    private static Configuration withPrometheus(Configuration conf) {
        conf.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(PROMETHEUS_PORT));
        return conf;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TempDir
    Path dir;

    @Test
    void aBoundedRunCountsPagesRetriesWaitsTokensLogsAndAlerts() throws Exception {
        Instant end = Instant.parse("2026-03-01T00:00:00Z");
        Instant from = end.minus(Duration.ofDays(1));
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(21).apps(1).days(1).end(end).logsPerDay(4_000)
                .scenario("all").tokenTtl(Duration.ofSeconds(3)))) {
            f.emulator.setFaults(Faults.builder().seed(3).rateLimit(20).serverErrorEvery(6)
                    .tokenTtl(Duration.ofSeconds(3)).build());
            JobSpec spec = spec(f, "bounded", "page-size: 100");
            JobID job = run(spec, f, from, end).getJobID();
            f.emulator.setFaults(Faults.none());

            List<Map.Entry<String, Metric>> m = metrics(job);
            assertThat(sum(m, ".pagesFetched")).isGreaterThanOrEqualTo(4_000 / 100);
            assertThat(sum(m, ".retries.http-5xx")).isPositive();
            assertThat(sum(m, ".rateLimitWaits")).isPositive();
            // The enumerator and each reader sign in once; more means 3-second tokens were renewed.
            assertThat(sum(m, ".tokenRefreshes")).isGreaterThan(3);

            // Logs per app: what the emulator's bulk download holds for the range.
            Map<String, Long> expectedLogs = new HashMap<>();
            try (BugfenderApi api = BugfenderApi.create(f.clientSettings(), ClientMetrics.NONE)) {
                for (App app : api.apps()) {
                    api.download(LogQuery.builder(app.id(), from).to(end).build(),
                            r -> expectedLogs.merge(app.id(), 1L, Long::sum));
                }
            }
            assertThat(expectedLogs).isNotEmpty();
            expectedLogs.forEach((app, n) -> assertThat(sum(m, ".app." + app + ".logsRead")).as(app).isEqualTo(n));

            // Alerts per rule: what the alert files hold.
            Map<String, Long> expectedAlerts = new HashMap<>();
            for (Alert a : AlertFiles.read(AlertFiles.find(List.of(dir.resolve("alerts")))).alerts()) {
                expectedAlerts.merge(a.ruleId(), 1L, Long::sum);
            }
            assertThat(expectedAlerts).containsKey("brute-force");
            expectedAlerts.forEach((rule, n) -> assertThat(sum(m, ".rule." + rule + ".alerts")).as(rule).isEqualTo(n));
        }
    }

    @Test
    void aRunningContinuousJobReportsItsLagAndCountsLogsTooLate() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(5).apps(1).days(1).end(now).logsPerDay(2_000))) {
            JobSpec spec = spec(f, "continuous", "poll-interval: 200ms\n  max-out-of-orderness: 1s\n  idleness: 1s");
            StreamExecutionEnvironment env = environment();
            // From six hours back: a continuous read asks for logs dated from then on, so the late
            // upload below (three hours old) is in its range, and arrives in its tail.
            Pipeline.assemble(env, spec, f.clientSettings(), now.minus(Duration.ofHours(6)), null);
            JobClient client = env.executeAsync("health");
            try {
                JobID job = client.getJobID();
                String app = f.emulator.apps().get(0).id();
                // The snapshot is read: the app's lag behind its newest log is known, and the
                // watermark of the detection operators has reached the last minute.
                Gauge<?> lag = await(job, k -> k.endsWith(".app." + app + ".lagMillis"), g -> ((Number) ((Gauge<?>) g).getValue())
                        .longValue() >= 0, Gauge.class);
                assertThat(((Number) lag.getValue()).longValue()).isBetween(0L, Duration.ofHours(1).toMillis());
                long minute = now.minus(Duration.ofMinutes(1)).toEpochMilli();
                await(job, k -> k.contains("match") && k.endsWith(".currentInputWatermark"), g -> ((Number) ((Gauge<?>) g).getValue()).longValue() >= minute,
                        Gauge.class);

                // A device uploads a log from three hours ago: past the allowed lateness (1h).
                f.emulator.append(app, List.of(LogRecord.builder().put("uuid", "late-1").put("app", app)
                        .put("device.udid", "dev-late").put("time", now.minus(Duration.ofHours(3)).toString())
                        .put("absolute_time", 1L).put("text", "Login failed for late@example.com").put("log_level", 2L)
                        .build()));
                await(job, k -> k.endsWith(".tooLateLogs"), c -> ((Counter) c).getCount() == 1, Counter.class);

                Set<String> served = scrapePrometheus();
                Set<String> queried = dashboardMetricNames();
                assertThat(queried).contains("flink_taskmanager_job_task_operator_tooLateLogs",
                        "flink_taskmanager_job_task_operator_app_lagMillis",
                        "flink_taskmanager_job_task_operator_rule_alerts");
                assertThat(served).containsAll(queried);
            } finally {
                client.cancel().get();
            }
        }
    }

    /** The metric names Flink's Prometheus reporter serves now, as Prometheus would scrape them. */
    private static Set<String> scrapePrometheus() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    /**
     * Every metric name in the dashboard's Prometheus queries. A name pattern
     * ({@code __name__=~"..._retries_.+"}, the retries by kind, made on the first retry) is left out.
     */
    private static Set<String> dashboardMetricNames() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(Path.of("deploy/grafana/dashboards/fendersec-alerts.json").toFile());
        Set<String> names = new TreeSet<>();
        Pattern name = Pattern.compile("\\b(flink_[A-Za-z0-9_]+)\\b(?![.][+*])");
        for (JsonNode p : dash.get("panels")) {
            for (JsonNode t : p.path("targets")) {
                if (t.path("datasource").path("uid").asText().equals("fendersec-metrics")) {
                    Matcher m = name.matcher(t.get("expr").asText());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return names;
    }

    private JobSpec spec(EmulatorFixture f, String mode, String sourceExtra) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, String.join("\n",
                "source:",
                f.sourceYaml(),
                "  mode: " + mode,
                "  " + sourceExtra,
                "rules:",
                "  allowed-lateness: 1h",
                "sinks:",
                "  alerts:",
                "    - type: file",
                "      path: " + dir.resolve("alerts"),
                "parallelism: 2",
                ""));
        return new JobSpecReader().read(file);
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1_000);
        return env;
    }

    private static JobClient run(JobSpec spec, EmulatorFixture f, Instant from, Instant to) throws Exception {
        StreamExecutionEnvironment env = environment();
        Pipeline.assemble(env, spec, f.clientSettings(), from, to);
        JobClient client = env.executeAsync("health");
        client.getJobExecutionResult().get();
        return client;
    }

    /**
     * The job's metrics by identifier. A list, not a map: a task and its chained operator of the
     * same name register Flink's I/O metrics under one identifier.
     */
    private static List<Map.Entry<String, Metric>> metrics(JobID job) {
        List<Map.Entry<String, Metric>> out = new ArrayList<>();
        METRICS.getMetricsByGroup().forEach((group, byName) -> {
            if (job.toString().equals(group.getAllVariables().get("<job_id>"))) {
                byName.forEach((name, metric) -> out.add(Map.entry(group.getMetricIdentifier(name), metric)));
            }
        });
        return out;
    }

    private static String describe(Map.Entry<String, Metric> e) {
        Metric m = e.getValue();
        Object v = m instanceof Counter c ? c.getCount() : m instanceof Gauge<?> g ? g.getValue() : m;
        return e.getKey() + "=" + v;
    }

    /** The sum of every counter whose identifier ends with {@code suffix} (all subtasks). */
    private static long sum(List<Map.Entry<String, Metric>> metrics, String suffix) {
        return metrics.stream().filter(e -> e.getKey().endsWith(suffix))
                .filter(e -> e.getValue() instanceof Counter).mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    /** Polls the live registry, with a deadline, until a metric named as {@code name} satisfies {@code ok}. */
    private static <T extends Metric> T await(JobID job, Predicate<String> name, Predicate<Metric> ok, Class<T> type)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<Map.Entry<String, Metric>> last = List.of();
        while (System.nanoTime() < deadline) {
            last = metrics(job);
            Optional<Metric> hit = last.stream().filter(e -> name.test(e.getKey()))
                    .map(Map.Entry::getValue).filter(type::isInstance).filter(ok).findFirst();
            if (hit.isPresent()) {
                return type.cast(hit.get());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such metric reached the expected value within 120 s; have "
                + last.stream().filter(e -> name.test(e.getKey())).map(JobHealthMetricsIT::describe).toList());
    }
}
