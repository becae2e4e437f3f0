package io.fendersec.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.Faults;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;
import io.fendersec.sink.ArchiveSink;
import io.fendersec.source.BugfenderSource;

/**
 * Issue 4's source benchmarks, each a separate mode so every run is short and bounded:
 * <pre>
 * throughput LOGS P [RPS]            bounded source → archive, 1 h slices, page 1000
 * backfill LOGS_PER_DAY P [RPS] [MS] 50 ms per request, page 100, 1 day in 15-min slices
 * latency BATCHES POLL_MS CKPT_MS    continuous: append → committed part file visible
 * parse [SECONDS]                    LogJson (the client's parser) vs Jackson readTree, µs/log
 * </pre>
 * Everything real: in-process emulator over HTTP, BugfenderSource, MiniCluster, ArchiveSink with
 * checkpoints. Not a unit test; see docs/benchmarks.md, "Source".
 */
public final class SourceBenchmark {
    static final String CLIENT = "bench";
    static final String SECRET = "bench-secret";
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");

    /** When the job saw its first and last log (the MiniCluster runs in this JVM). */
    static final AtomicLong FIRST = new AtomicLong();
    static final AtomicLong LAST = new AtomicLong();
    static final AtomicLong COUNT = new AtomicLong();
    static double LAST_READING_RATE;

    public static void main(String[] args) throws Throwable {
        String mode = args.length > 0 ? args[0] : "throughput";
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (mode) {
            case "throughput":
                throughput(rest);
                break;
            case "backfill":
                backfill(rest);
                break;
            case "latency":
                latency(rest);
                break;
            case "parse":
                parse(rest);
                break;
            default:
                throw new IllegalArgumentException("mode: throughput | backfill | latency | parse");
        }
        System.exit(0);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static ClientSettings settings(BugfenderEmulator emu, double rps) {
        return ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(CLIENT)
                        .clientSecret(SecretRef.literal(SECRET)).build())
                .requestsPerSecond(rps).build();
    }

    /** Counts logs and stamps the first and the last; passes them on. */
    static final class Stamp implements MapFunction<LogRecord, LogRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public LogRecord map(LogRecord r) {
            long now = System.nanoTime();
            FIRST.compareAndSet(0, now);
            LAST.set(now);
            COUNT.incrementAndGet();
            return r;
        }
    }

    /** Runs a bounded source → archive job; prints and returns logs/s from submission. */
    static double bounded(BugfenderEmulator emu, BugfenderSource source, int parallelism, long expected, String what)
            throws Exception {
        Path out = Files.createTempDirectory("fendersec-bench-archive");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(10_000);
        env.fromSource(source, source.watermarkStrategy(), "bugfender")
                .map(new Stamp(), LogRecordTypeInfo.INSTANCE)
                .sinkTo(ArchiveSink.create(out.toString()));
        FIRST.set(0);
        LAST.set(0);
        COUNT.set(0);
        String loadBefore = load();
        long start = System.nanoTime();
        env.execute(what);
        long end = System.nanoTime();
        long archived = countLines(out);
        double total = (end - start) / 1e9;
        double firstAt = (FIRST.get() - start) / 1e9;
        double reading = (LAST.get() - FIRST.get()) / 1e9;
        System.out.printf("%s p=%d: %,d logs read, %,d archived (expected %,d); %.2f s from execute = %,.0f logs/s;"
                + " first log after %.2f s; first→last log %.2f s = %,.0f logs/s; load %s→%s%n", what, parallelism,
                COUNT.get(), archived, expected, total, archived / total, firstAt, reading, COUNT.get() / reading,
                loadBefore, load());
        deleteTree(out);
        LAST_READING_RATE = COUNT.get() / reading;
        return archived / total;
    }

    static long countLines(Path dir) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    try (Stream<String> lines = Files.lines(p)) {
                        n += lines.count();
                    }
                }
            }
        }
        return n;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- a. throughput ----------------------------------------------------------------------

    static void throughput(String[] a) throws Exception {
        long logs = a.length > 0 ? Long.parseLong(a[0]) : 200_000;
        int[] ps = a.length > 1 ? Arrays.stream(a[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 2};
        double rps = a.length > 2 ? Double.parseDouble(a[2]) : 1000;
        int rounds = a.length > 3 ? Integer.parseInt(a[3]) : 2;
        long t0 = System.nanoTime();
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(42).apps(1).days(2).end(END).logsPerDay(logs / 2)
                .clientSecret(CLIENT, SECRET, List.of()).start()) {
            System.out.printf("emulator: %,d logs generated in %.1f s (load %s)%n", logs, (System.nanoTime() - t0) / 1e9, load());
            BugfenderSource source = BugfenderSource.builder().clientSettings(settings(emu, rps)).bounded()
                    .from(END.minus(Duration.ofDays(2))).to(END).slice(Duration.ofHours(1)).pageSize(1000).build();
            bounded(emu, source, ps[0], logs, "warm-up");
            for (int r = 0; r < rounds; r++) {
                for (int p : ps) {
                    bounded(emu, source, p, logs, "throughput round " + (r + 1));
                }
            }
        }
    }

    // ---- b. backfill in the latency-bound regime ---------------------------------------------

    static void backfill(String[] a) throws Exception {
        long perDay = a.length > 0 ? Long.parseLong(a[0]) : 20_000;
        int[] ps = a.length > 1 ? Arrays.stream(a[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2, 4, 8};
        double rps = a.length > 2 ? Double.parseDouble(a[2]) : 1000;
        long latencyMs = a.length > 3 ? Long.parseLong(a[3]) : 50;
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(7).apps(1).days(1).end(END).logsPerDay(perDay)
                .clientSecret(CLIENT, SECRET, List.of()).start()) {
            emu.setFaults(Faults.builder().latency(Duration.ofMillis(latencyMs)).build());
            System.out.printf("backfill: %,d logs, 96 slices of 15 min, page 100, %d ms per request, budget %.0f req/s%n",
                    perDay, latencyMs, rps);
            BugfenderSource source = BugfenderSource.builder().clientSettings(settings(emu, rps)).bounded()
                    .from(END.minus(Duration.ofDays(1))).to(END).slice(Duration.ofMinutes(15)).pageSize(100).build();
            // Speed-ups against the latest p=1 run (list 1 twice to warm the JVM first), both from
            // execute (MiniCluster start included) and over the reading phase (first → last log).
            double base = 0;
            double baseReading = 0;
            for (int p : ps) {
                double v = bounded(emu, source, p, perDay, "backfill");
                if (p == 1 || base == 0) {
                    base = v;
                    baseReading = LAST_READING_RATE;
                }
                System.out.printf("  speed-up p=%d: from execute %.2f (%.2f x N); reading phase %.2f (%.2f x N)%n", p,
                        v / base, v / base / p, LAST_READING_RATE / baseReading, LAST_READING_RATE / baseReading / p);
            }
        }
    }

    // ---- c. continuous: arrival → commit -------------------------------------------------------

    static void latency(String[] a) throws Exception {
        int batches = a.length > 0 ? Integer.parseInt(a[0]) : 10;
        long pollMs = a.length > 1 ? Long.parseLong(a[1]) : 5000;
        long ckptMs = a.length > 2 ? Long.parseLong(a[2]) : 10_000;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(3).apps(1).days(1).end(now).logsPerDay(2_000)
                .clientSecret(CLIENT, SECRET, List.of()).start()) {
            String app = emu.apps().get(0).id();
            BugfenderSource source = BugfenderSource.builder().clientSettings(settings(emu, 50)).continuous()
                    .from(now.minus(Duration.ofHours(1))).pollInterval(Duration.ofMillis(pollMs)).build();
            Path out = Files.createTempDirectory("fendersec-bench-latency");
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.enableCheckpointing(ckptMs);
            env.fromSource(source, source.watermarkStrategy(), "bugfender").sinkTo(ArchiveSink.create(out.toString()));
            JobClient job = env.executeAsync("latency");
            String load0 = load();
            // Let the snapshot be read and committed first.
            Thread.sleep(Math.max(ckptMs, pollMs) * 2 + 3000);
            Map<String, Long> appended = new ConcurrentHashMap<>();
            Map<String, Long> visible = new ConcurrentHashMap<>();
            Set<Path> seenFiles = new HashSet<>();
            long gap = 2_300; // not a divisor of the poll or checkpoint interval: arrivals fall at every phase
            long nextAppend = System.nanoTime();
            int sent = 0;
            long deadline = Long.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                long t = System.nanoTime();
                if (sent < batches && t >= nextAppend) {
                    String batch = "b" + sent;
                    List<LogRecord> logs = new ArrayList<>();
                    Instant wall = Instant.now();
                    for (int i = 0; i < 10; i++) {
                        logs.add(LogRecord.builder().put(LogFields.UUID, "lat-" + batch + "-" + i).put(LogFields.APP, app)
                                .put(LogFields.DEVICE_UDID, "dev-lat").put(LogFields.TEXT, "latency " + batch)
                                .put(LogFields.LOG_LEVEL, 2L).put(LogFields.TIME, wall.toString())
                                .put(LogFields.ABSOLUTE_TIME, wall.toEpochMilli()).build());
                    }
                    appended.put(batch, System.nanoTime());
                    emu.append(app, logs);
                    sent++;
                    nextAppend += gap * 1_000_000;
                    if (sent == batches) {
                        deadline = System.nanoTime() + (pollMs + 3 * ckptMs + 10_000) * 1_000_000;
                    }
                }
                scan(out, seenFiles, visible);
                if (sent == batches && visible.size() == batches) {
                    break;
                }
                Thread.sleep(20);
            }
            job.cancel().get();
            List<Double> delays = new ArrayList<>();
            for (int i = 0; i < batches; i++) {
                Long v = visible.get("b" + i);
                delays.add(v == null ? Double.NaN : (v - appended.get("b" + i)) / 1e9);
            }
            List<Double> sorted = new ArrayList<>(delays);
            sorted.removeIf(d -> d.isNaN());
            Collections.sort(sorted);
            System.out.printf("latency poll=%d ms checkpoint=%d ms: %d batches, %d committed; delays (s) %s;"
                    + " median %.2f s, max %.2f s, min %.2f s; load %s→%s%n", pollMs, ckptMs, batches, sorted.size(),
                    delays.stream().map(d -> String.format("%.2f", d)).toList(),
                    sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2),
                    sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1),
                    sorted.isEmpty() ? Double.NaN : sorted.get(0), load0, load());
            deleteTree(out);
        }
    }

    /** Reads part files that became visible since the last scan; stamps the batches they hold. */
    static void scan(Path dir, Set<Path> seen, Map<String, Long> visible) throws IOException {
        List<Path> fresh = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".") && !seen.contains(p))
                    .forEach(fresh::add);
        }
        long now = System.nanoTime();
        for (Path p : fresh) {
            seen.add(p);
            for (String line : Files.readAllLines(p)) {
                int i = line.indexOf("lat-b");
                if (i >= 0) {
                    String batch = line.substring(i + 4, line.indexOf('-', i + 5));
                    visible.putIfAbsent(batch, now);
                }
            }
        }
    }

    // ---- d. parse cost ------------------------------------------------------------------------

    static void parse(String[] a) throws Throwable {
        int seconds = a.length > 0 ? Integer.parseInt(a[0]) : 3;
        byte[] page;
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(42).apps(1).days(1).end(END).logsPerDay(20_000)
                .clientSecret(CLIENT, SECRET, List.of()).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String form = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + SECRET;
            String body = http.send(HttpRequest.newBuilder(URI.create(emu.tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body();
            String token = body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            String url = emu.baseUrl() + "/api/app/" + emu.apps().get(0).id() + "/logs/paginated?date_range_start="
                    + URLEncoder.encode(END.minus(Duration.ofDays(1)).toString(), StandardCharsets.UTF_8) + "&page_size=1000";
            page = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> ndjson = new ArrayList<>();
        for (JsonNode n : mapper.readTree(page).get("data")) {
            ndjson.add(mapper.writeValueAsString(n));
        }
        int logs = ndjson.size();
        System.out.printf("parse: a page of %,d logs, %,d bytes (%.0f bytes/log)%n", logs, page.length,
                (double) page.length / logs);
        Class<?> logJson = Class.forName("io.fendersec.api.LogJson");
        Method pm = logJson.getDeclaredMethod("page", String.class, InputStream.class);
        pm.setAccessible(true);
        Method lm = logJson.getDeclaredMethod("recordLine", String.class);
        lm.setAccessible(true);
        MethodHandle pageH = MethodHandles.lookup().unreflect(pm).asType(MethodType.methodType(Object.class, String.class, InputStream.class));
        MethodHandle lineH = MethodHandles.lookup().unreflect(lm).asType(MethodType.methodType(Object.class, String.class));
        List<String[]> results = new ArrayList<>();
        Case[] cases = {
            new Case("LogJson.page (client, streaming, whole page)", () -> {
                Object o = pageH.invokeExact("u", (InputStream) new ByteArrayInputStream(page));
                return o.hashCode();
            }),
            new Case("LogJson.recordLine per NDJSON line (client's download path)", () -> {
                int h = 0;
                for (String l : ndjson) {
                    Object o = lineH.invokeExact(l);
                    h += o.hashCode();
                }
                return h;
            }),
            new Case("Jackson readTree per NDJSON line (plain loop)", () -> {
                int h = 0;
                for (String l : ndjson) {
                    h += mapper.readTree(l).size();
                }
                return h;
            }),
            new Case("Jackson readTree of the whole page", () -> mapper.readTree(page).get("data").size()),
        };
        // warm-up every case, then measure rounds alternating the cases
        for (Case c : cases) {
            c.time(seconds);
        }
        for (int round = 0; round < 3; round++) {
            for (Case c : cases) {
                double usPerLog = c.time(seconds) * 1e6 / logs;
                c.samples.add(usPerLog);
            }
        }
        for (Case c : cases) {
            Collections.sort(c.samples);
            System.out.printf("  %-62s %.2f µs/log (rounds: %s) load %s%n", c.name, c.samples.get(1), c.samples, load());
        }
    }

    interface Body {
        int run() throws Throwable;
    }

    static final class Case {
        final String name;
        final Body body;
        final List<Double> samples = new ArrayList<>();
        static volatile int sink;

        Case(String name, Body body) {
            this.name = name;
            this.body = body;
        }

        /** Seconds per call, averaged over as many calls as fit in {@code seconds}. */
        double time(int seconds) throws Throwable {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            long calls = 0;
            int h = 0;
            while (System.nanoTime() < end) {
                h += body.run();
                calls++;
            }
            sink = h;
            return (System.nanoTime() - start) / 1e9 / calls;
        }
    }
}
