package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.api.App;
import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.ClientSettings;
import io.fendersec.api.LogQuery;
import io.fendersec.auth.AuthorizationCode;
import io.fendersec.auth.TokenProvider;
import io.fendersec.cli.Main;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.Faults;
import io.fendersec.job.JobSpecReader;
import io.fendersec.model.LogRecord;
import io.fendersec.source.ApiFactory;
import io.fendersec.source.BugfenderSource;

/**
 * {@code method: refresh-token} at parallelism 4 on a MiniCluster (four readers, one enumerator),
 * against the emulator, whose refresh tokens work once (each refresh retires the one redeemed).
 * After {@code fendersec login}: two bounded runs in a row with 3-second access tokens, each reading
 * exactly what {@code /logs/download} gives, and a continuous run that keeps reading live arrivals
 * through many token lifetimes. Only the enumerator redeems the refresh token (readers borrow access
 * tokens from it), and it renews once per token lifetime, not once per reader.
 */
class RefreshTokenSourceIT {
    private static final Instant END = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant FROM = END.minus(Duration.ofDays(1));
    private static final String CLIENT = "int-rt";
    private static final String SECRET = "int-secret-4f01aa";
    private static final Duration TOKEN_TTL = Duration.ofSeconds(3);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2).build());

    /** Client events by who saw them ("enumerator" or "reader"); the MiniCluster runs in this JVM. */
    static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path dir;
    static BugfenderEmulator emu;
    static Path job;
    static ClientSettings settings;

    @BeforeAll
    static void loginOnce() throws Exception {
        emu = BugfenderEmulator.builder().seed(21).apps(2).days(1).end(END).logsPerDay(8_000)
                .integration(CLIENT, SECRET).user("alice").start();
        Path secret = dir.resolve("client-secret");
        Files.writeString(secret, SECRET + "\n");
        job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n  url: " + emu.baseUrl() + "\n  auth:\n    method: refresh-token\n"
                + "    client-id: " + CLIENT + "\n    client-secret: ${file:" + secret + "}\n"
                + "    refresh-token-file: state/refresh-token\n");
        assertThat(Main.run("login", job.toString(), "--code", authorizationCode())).isZero();
        settings = new JobSpecReader().read(job).source.client.toBuilder().requestsPerSecond(1000).build();
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.close();
        }
    }

    @BeforeEach
    void shortTokens() {
        SEEN.clear();
        // Every API call takes 150 ms: a bounded run lasts several token lifetimes.
        emu.setFaults(Faults.builder().latency(Duration.ofMillis(150)).tokenTtl(TOKEN_TTL).build());
    }

    @Test
    void twoBoundedRunsAtParallelismFourReadExactlyTheSnapshot() throws Exception {
        List<String> expected = downloaded();
        assertThat(expected).hasSizeGreaterThan(7_000);
        String before = refreshToken();
        for (int run = 1; run <= 2; run++) {
            SEEN.clear();
            BugfenderSource source = BugfenderSource.builder().clientSettings(settings).apiFactory(new Counting())
                    .bounded().from(FROM).to(END).slice(Duration.ofHours(1)).pageSize(50).build();
            long started = System.nanoTime();
            List<String> read = env().fromSource(source, source.watermarkStrategy(), "bugfender")
                    .map(LogRecord::uuid).returns(Types.STRING).executeAndCollect(1_000_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("run %d: %d logs in %.1f s; client events %s%n", run, read.size(), seconds, SEEN);
            assertThat(read).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
            assertSingleOwner(seconds);
        }
        // The stored token was rotated by the runs, and the one on disk still works.
        assertThat(refreshToken()).isNotEqualTo(before);
        assertThat(downloaded()).hasSameSizeAs(expected);
    }

    @Test
    void continuousRunKeepsReadingThroughManyTokenLifetimes() throws Exception {
        LIVE.clear();
        BugfenderSource source = BugfenderSource.builder().clientSettings(settings).apiFactory(new Counting())
                .continuous().from(END.minus(Duration.ofHours(2))).pollInterval(Duration.ofMillis(300)).build();
        StreamExecutionEnvironment env = env();
        env.fromSource(source, source.watermarkStrategy(), "bugfender").map(r -> {
            LIVE.add(r.uuid());
            return r.uuid();
        }).returns(Types.STRING).sinkTo(new DiscardingSink<>());
        long started = System.nanoTime();
        JobClient client = env.executeAsync("refresh-token continuous");
        try {
            String app = emu.apps().get(0).id();
            List<String> arrived = new ArrayList<>();
            // Six token lifetimes of arrivals, a batch whenever the readers have caught up with the last.
            while (SEEN.getOrDefault("enumerator:token", new AtomicLong()).get() < 7) {
                arrived.addAll(arrive(app, 20));
                await(client, () -> LIVE.containsAll(arrived));
            }
            assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(SEEN.get("reader:token").get()).as("borrowed tokens").isGreaterThanOrEqualTo(7);
            assertSingleOwner((System.nanoTime() - started) / 1e9);
        } finally {
            client.cancel().get();
        }
    }

    /** The enumerator renewed about once per token lifetime (plus the first sign-in), not once per reader. */
    private static void assertSingleOwner(double seconds) {
        long renewals = SEEN.getOrDefault("enumerator:token", new AtomicLong()).get();
        long borrowed = SEEN.getOrDefault("reader:token", new AtomicLong()).get();
        // A token is renewed after three quarters of its life: at most one renewal per 2.25 s.
        long bound = (long) Math.ceil(seconds / (TOKEN_TTL.toMillis() * 0.75 / 1000.0)) + 2;
        assertThat(renewals).as("refresh grants redeemed by the enumerator in %.1f s", seconds).isBetween(1L, bound);
        assertThat(borrowed).as("access tokens borrowed by the readers").isGreaterThanOrEqualTo(4);
    }

    private static void await(JobClient client, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            JobStatus status = client.getJobStatus().get();
            assertThat(status).as("job status while waiting").isIn(JobStatus.CREATED, JobStatus.INITIALIZING,
                    JobStatus.RUNNING);
            assertThat(System.nanoTime()).as("timed out waiting for the job").isLessThan(deadline);
            Thread.sleep(100); // polling a condition with a deadline, not timing
        }
    }

    private static List<String> arrive(String app, int n) {
        List<String> uuids = new ArrayList<>();
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String uuid = java.util.UUID.randomUUID().toString();
            uuids.add(uuid);
            logs.add(LogRecord.builder().put(io.fendersec.model.LogFields.UUID, uuid)
                    .put(io.fendersec.model.LogFields.APP, app).put(io.fendersec.model.LogFields.DEVICE_UDID, "dev-1")
                    .put(io.fendersec.model.LogFields.TEXT, "live " + i).put(io.fendersec.model.LogFields.LOG_LEVEL, 4L)
                    .put(io.fendersec.model.LogFields.TIME, Instant.now().toString()).build());
        }
        emu.append(app, logs);
        return uuids;
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(4);
        return env;
    }

    /** The snapshot by download, signed in with the same stored refresh token (the test's own client). */
    private static List<String> downloaded() {
        List<String> uuids = new ArrayList<>();
        try (BugfenderApi api = BugfenderApi.create(settings, ClientMetrics.NONE)) {
            for (App app : api.apps()) {
                api.download(LogQuery.builder(app.id(), FROM).to(END).build(), r -> uuids.add(r.uuid()));
            }
        }
        return uuids;
    }

    private static String refreshToken() throws Exception {
        return Files.readString(dir.resolve("state/refresh-token")).trim();
    }

    /** Plays the user: opens the authorize page and copies the code it shows. */
    private static String authorizationCode() throws Exception {
        URI url = AuthorizationCode.authorizeUrl(URI.create(emu.baseUrl()), CLIENT);
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("<code id=\"code\">([^<]+)</code>").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    /** The HTTP clients, counting token refreshes by who made them; holds nothing, so it serializes. */
    static final class Counting implements ApiFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public BugfenderApi create(ClientSettings s, ClientMetrics m) {
            return ApiFactory.HTTP.create(s, new Tagged("enumerator", m));
        }

        @Override
        public BugfenderApi create(ClientSettings s, ClientMetrics m, TokenProvider signIn) {
            return ApiFactory.HTTP.create(s, new Tagged("reader", m), signIn);
        }
    }

    static final class Tagged implements ClientMetrics {
        private final String who;
        private final ClientMetrics next;

        Tagged(String who, ClientMetrics next) {
            this.who = who;
            this.next = next;
        }

        private void count(String what) {
            SEEN.computeIfAbsent(who + ":" + what, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void apiError(String kind) {
            count("error:" + kind);
            next.apiError(kind);
        }

        @Override
        public void retry(String kind) {
            count("retry:" + kind);
            next.retry(kind);
        }

        @Override
        public void rateLimitWait(long millis) {
            next.rateLimitWait(millis);
        }

        @Override
        public void tokenRefreshed() {
            count("token");
            next.tokenRefreshed();
        }
    }
}
