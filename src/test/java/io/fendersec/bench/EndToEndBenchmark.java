package io.fendersec.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.job.JobRun;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.job.RunResult;

/**
 * The end-to-end figure of issue 16, in one command: the emulator in its own JVM (built-in
 * scenarios), then, in this JVM, back to back per round:
 * <ol>
 *   <li><b>floor</b>: one thread downloads the same logs as NDJSON ({@code /logs/download}, one
 *       request per app) and parses every line with Jackson {@code readTree};
 *   <li><b>no rules</b>: {@code fendersec run} of a bounded job without rules (source → count), on a
 *       local MiniCluster, as {@code JobRun} runs it;
 *   <li><b>pack</b>: the same job with the built-in pack ({@code rules.builtin: [all]}) and a file
 *       alert sink.
 * </ol>
 * Each prints logs, wall time, logs/s (whole run, from {@code execute}; and the read phase, from the
 * first progress report that saw logs to the end, ±1 s), process CPU and the 1-minute load average.
 *
 * <p>Issue 14's row: with {@code -Dsigma=DIR,DIR...} (SigmaHQ rule folders) two more jobs run,
 * <b>pack + SigmaHQ</b> (the same job with every SigmaHQ rule that loads in {@code rules.sigma},
 * logsource filtering on, as any job) and, with {@code -Dsigma.bypass=true}, <b>pack + SigmaHQ
 * bypassed</b> (every rule's {@code logsource.product} rewritten to {@code bugfender}: all of them
 * run). The rules are copied to one temporary folder ({@code rules.sigma: [DIR/*.yml]}; a job
 * refuses a folder with a rule it cannot load). {@code -Djobs=pack,sigmahq} picks the jobs of a
 * round among floor, none, pack, sigmahq, bypassed.
 *
 * <pre>
 * java -Xmx2g --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
 *   -cp target/classes:target/test-classes:$(cat target/cp.txt) io.fendersec.bench.EndToEndBenchmark 300000 3 [spec-overrides...]
 * #                                                                            logs/day rounds  e.g. source.page-size=10000
 * </pre>
 */
public final class EndToEndBenchmark {
    private static final String END = "2026-11-28T00:00:00Z";
    private static final int DAYS = 2;
    private static final String CLIENT = "bench";
    private static final String SECRET = "bench-secret";

    public static void main(String[] args) throws Exception {
        long logsPerDay = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> overrides = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            overrides.add(args[i]);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process emulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-cp", System.getProperty("java.class.path"), "io.fendersec.cli.Main", "emulator",
                "--port", Integer.toString(port), "--scenario", "all", "--days", Integer.toString(DAYS), "--end", END,
                "--logs-per-day", Long.toString(logsPerDay), "--client-secret", CLIENT + ":" + SECRET)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitPort(port, emulator);
            Path secret = Files.createTempFile("bench-secret", ".txt");
            Files.writeString(secret, SECRET);
            Path alerts = Files.createTempDirectory("bench-alerts");
            String from = Instant.parse(END).minus(Duration.ofDays(DAYS)).toString();
            String sourceYaml = "source:\n  url: " + base + "\n  auth:\n    method: client-secret\n    client-id: " + CLIENT
                    + "\n    client-secret: ${file:" + secret + "}\n  apps: [all]\n  mode: bounded\n  from: " + from
                    + "\n  to: " + END + "\n";
            Path noRules = Files.createTempFile("bench-no-rules", ".yaml");
            Files.writeString(noRules, sourceYaml + "rules:\n  builtin: []\nparallelism: 2\n");
            Path pack = Files.createTempFile("bench-pack", ".yaml");
            Files.writeString(pack, sourceYaml + "rules:\n  builtin: [all]\nsinks:\n  alerts:\n    - type: file\n      path: "
                    + alerts + "\nparallelism: 2\n");

            String sigma = System.getProperty("sigma");
            boolean bypass = Boolean.getBoolean("sigma.bypass");
            Path withSigma = null;
            Path bypassed = null;
            if (sigma != null) {
                String packRules = "rules:\n  builtin: [all]\n  sigma: [%s/*.yml]\nsinks:\n  alerts:\n    - type: file\n"
                        + "      path: " + alerts + "\nparallelism: 2\n";
                withSigma = Files.createTempFile("bench-sigmahq", ".yaml");
                Files.writeString(withSigma, sourceYaml + String.format(packRules, sigmaFolder(sigma, false)));
                if (bypass) {
                    bypassed = Files.createTempFile("bench-sigmahq-bypassed", ".yaml");
                    Files.writeString(bypassed, sourceYaml + String.format(packRules, sigmaFolder(sigma, true)));
                }
            }
            String jobs = System.getProperty("jobs", "floor,none,pack" + (sigma == null ? "" : ",sigmahq")
                    + (bypass ? ",bypassed" : ""));
            List<String> chosen = List.of(jobs.split(","));

            System.out.printf("emulator %s, %,d logs/day x %d days, scenario all; overrides %s; jobs %s%n", base,
                    logsPerDay, DAYS, overrides, chosen);
            floor(base, from); // warm-up of this JVM and of the emulator's snapshot caches
            run("no rules (warm-up)", noRules, overrides);
            run("pack (warm-up)", pack, overrides);
            for (int r = 1; r <= rounds; r++) {
                System.out.printf("-- round %d%n", r);
                double f = chosen.contains("floor") ? floor(base, from) : Double.NaN;
                double n = chosen.contains("none") ? run("no rules", noRules, overrides) : Double.NaN;
                double p = chosen.contains("pack") ? run("pack", pack, overrides) : Double.NaN;
                System.out.printf("   ratios to the floor (read phase): no rules %.2f, pack %.2f; pack / no rules %.2f%n",
                        n / f, p / f, p / n);
                if (withSigma != null && chosen.contains("sigmahq")) {
                    double h = run("pack+SigmaHQ", withSigma, overrides);
                    System.out.printf("   pack + SigmaHQ (logsource on) / pack (read phase): %.2f%n", h / p);
                }
                if (bypassed != null && chosen.contains("bypassed")) {
                    double b = run("pack+SigmaHQ bypassed", bypassed, overrides);
                    System.out.printf("   pack + SigmaHQ (logsource bypassed) / pack (read phase): %.2f%n", b / p);
                }
            }
        } finally {
            emulator.destroy();
            emulator.waitFor();
        }
    }

    /**
     * Copies every rule file under {@code folders} (comma-separated) that loads into one new folder,
     * named by position; with {@code bypass}, each {@code product:} line says {@code bugfender}, so
     * that the logsource filter lets every rule run. Prints the counts.
     */
    static Path sigmaFolder(String folders, boolean bypass) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String f : folders.split(",")) {
            try (java.util.stream.Stream<Path> s = Files.walk(Path.of(f))) {
                s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        Path dir = Files.createTempDirectory(bypass ? "bench-sigmahq-bypassed" : "bench-sigmahq");
        int copied = 0;
        for (Path f : files) {
            String text = Files.readString(f);
            if (bypass) {
                text = text.replaceAll("(?m)^(\\s+)product:.*$", "$1product: bugfender");
            }
            Path to = dir.resolve(String.format("%05d-%s", copied, f.getFileName()));
            Files.writeString(to, text);
            try {
                io.fendersec.detect.load.RuleLoader.create().file(to).load();
                copied++;
            } catch (io.fendersec.error.ConfigException e) {
                Files.delete(to); // refused (placeholders, ...): SigmaHqLoad lists why
            }
        }
        io.fendersec.detect.rule.RuleSet set = io.fendersec.detect.load.RuleLoader.create()
                .files(java.util.stream.Stream.of(dir.toFile().listFiles()).map(java.io.File::toString).sorted().toList())
                .load();
        System.out.printf("SigmaHQ%s: %d files, %d load; %d detections run, %d skipped by logsource (%s)%n",
                bypass ? " (product rewritten to bugfender)" : "", files.size(), copied, set.detections().size(),
                set.skipped().size(), dir);
        return dir;
    }

    /** One thread: token, then every app's NDJSON download, each line through readTree. Returns logs/s. */
    static double floor(String base, String from) throws Exception {
        String load = load();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String form = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + SECRET;
        JsonNode token = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body());
        String bearer = "Bearer " + token.get("access_token").asText();
        JsonNode apps = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/app/"))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString()).body());
        long logs = 0;
        long fields = 0;
        for (JsonNode app : apps) {
            String url = base + "/api/app/" + URLEncoder.encode(app.get("id").asText(), StandardCharsets.UTF_8)
                    + "/logs/download?format=ndjson&date_range_start=" + from + "&date_range_end=" + END;
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer)
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8), 1 << 16)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isEmpty()) {
                        fields += json.readTree(line).size();
                        logs++;
                    }
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double rate = logs / s;
        System.out.printf("   floor     %,9d logs  %6.2f s  %,9.0f logs/s  cpu %5.1f s  load %s -> %s  (%d fields)%n", logs, s,
                rate, (cpu() - cpu0) / 1e9, load, load(), fields);
        return rate;
    }

    /** A bounded job through JobRun, as {@code fendersec run} runs it. Returns the read-phase logs/s. */
    static double run(String name, Path spec, List<String> overrides) throws Exception {
        JobSpecReader reader = new JobSpecReader();
        overrides.forEach(reader::set);
        JobSpec parsed = reader.read(spec);
        String load = load();
        long cpu0 = cpu();
        AtomicLong firstLogsAt = new AtomicLong(-1);
        AtomicLong firstLogs = new AtomicLong();
        long t0 = System.nanoTime();
        RunResult r = JobRun.of(parsed).fresh(true).log(m -> { }).progress(p -> {
            if (p.logs() > 0 && firstLogsAt.get() < 0) {
                firstLogs.set(p.logs());
                firstLogsAt.set(System.nanoTime());
            }
        }).run();
        long t1 = System.nanoTime();
        double whole = (t1 - t0) / 1e9;
        double execute = r.duration().toMillis() / 1000.0;
        double read = firstLogsAt.get() < 0 ? execute : (t1 - firstLogsAt.get()) / 1e9;
        long readLogs = r.logs() - firstLogs.get();
        double readRate = readLogs / Math.max(read, 1e-3);
        System.out.printf("   %-9s %,9d logs  %6.2f s whole, %6.2f s from execute (%,9.0f logs/s), read phase %,9.0f logs/s"
                + "  cpu %5.1f s  alerts %,d  pages %d  rate-limit waits %d  load %s -> %s%n", name, r.logs(), whole,
                execute, r.logs() / execute, readRate, (cpu() - cpu0) / 1e9, r.alerts(),
                r.clientCounters().getOrDefault("pagesFetched", 0L), r.clientCounters().getOrDefault("rateLimitWaits", 0L),
                load, load());
        return readRate;
    }

    private static void awaitPort(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the emulator exited with " + p.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200); // waiting for another process to listen, not timing anything
            }
        }
        throw new IOException("the emulator did not listen on " + port);
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String load() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
