package io.fendersec.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 32's figures, measured as a user meets them: every run is a whole {@code fendersec run}
 * process (a fresh JVM, the shaded jar, p=2) against the emulator in its own JVM (2 apps,
 * {@code --scenario all}, 250,000 logs/day x 3 days, as the issue measured).
 * <ol>
 *   <li><b>floor</b>: in this JVM, one thread downloads the 3 days as NDJSON and parses every line
 *       with Jackson {@code readTree} ({@link EndToEndBenchmark#floor}); one warm-up first;
 *   <li><b>marginal rate</b>: the built-in pack over 1 day and over 3 days, each a fresh process;
 *       {@code (logs3 - logs1) / (t3 - t1)} cancels start-up out; printed with its ratio to the floor;
 *   <li><b>cold runs</b>: 1 day with no rules and with the pack, alternating, {@code cold} times each;
 *       medians and the ratio pack / no rules.
 * </ol>
 * Each process runs under {@code /usr/bin/time}: wall, user + system CPU seconds and the load average
 * before it are printed with every figure, because the development machine is shared. The command
 * that starts a run is {@code -Dlauncher=...} (default {@code ./fendersec}, the launcher users run;
 * e.g. {@code -Dlauncher="java -jar target/fendersec.jar"} to bypass its class-data archive).
 *
 * <pre>
 * mvn -B -o -q package -Dmaven.test.skip=true &amp;&amp; mvn -B -o -q test-compile
 * mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.fendersec.bench.MarginalBenchmark 2 3
 * #                                                                                        rounds cold-runs
 * </pre>
 */
public final class MarginalBenchmark {
    private static final String END = "2026-11-28T00:00:00Z";
    private static final int DAYS = 3;
    private static final Pattern READ = Pattern.compile("read ([0-9,]+) logs");
    private static final Pattern TIME = Pattern.compile("TIME ([0-9.]+) ([0-9.]+) ([0-9.]+)");

    record Run(String name, long logs, double wall, double cpu, String load) {
        @Override
        public String toString() {
            return String.format("   %-10s %,9d logs  wall %6.2f s  cpu %6.2f s  (%,8.0f logs/s wall)  load %s", name, logs,
                    wall, cpu, logs / wall, load);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int cold = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> launcher = Arrays.asList(System.getProperty("launcher", "./fendersec").split(" "));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process emulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-cp", System.getProperty("java.class.path"), "io.fendersec.cli.Main", "emulator",
                "--port", Integer.toString(port), "--apps", "2", "--scenario", "all", "--days", Integer.toString(DAYS),
                "--end", END, "--logs-per-day", "250000", "--client-secret", "bench:bench-secret")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitPort(port, emulator);
            Path dir = Files.createTempDirectory("bench-marginal");
            Path secret = dir.resolve("secret.txt");
            Files.writeString(secret, "bench-secret");
            Path none1 = job(dir, base, secret, 1, false);
            Path pack1 = job(dir, base, secret, 1, true);
            Path pack3 = job(dir, base, secret, 3, true);
            String from3 = Instant.parse(END).minus(Duration.ofDays(DAYS)).toString();
            System.out.printf("emulator %s (2 apps, 250,000 logs/day x %d days, scenario all); launcher %s%n", base, DAYS,
                    launcher);
            EndToEndBenchmark.floor(base, from3); // warm-up of this JVM and of the emulator's caches
            run(launcher, "pack 1d", pack1); // warm-up of the emulator's 1-day snapshot and the page cache
            for (int r = 1; r <= rounds; r++) {
                System.out.printf("-- marginal, round %d%n", r);
                double floor = EndToEndBenchmark.floor(base, from3);
                Run one = run(launcher, "pack 1d", pack1);
                Run three = run(launcher, "pack 3d", pack3);
                double marginal = (three.logs - one.logs) / (three.wall - one.wall);
                double cpuMarginal = (three.logs - one.logs) / (three.cpu - one.cpu);
                System.out.printf("   marginal %,9.0f logs/s (wall) = %.2fx the floor; %,9.0f logs per CPU second%n", marginal,
                        marginal / floor, cpuMarginal);
            }
            System.out.printf("-- cold runs, 1 day, %d each%n", cold);
            List<Run> none = new ArrayList<>();
            List<Run> pack = new ArrayList<>();
            for (int i = 0; i < cold; i++) {
                none.add(run(launcher, "no rules", none1));
                pack.add(run(launcher, "pack", pack1));
            }
            double nw = median(none.stream().mapToDouble(Run::wall).toArray());
            double pw = median(pack.stream().mapToDouble(Run::wall).toArray());
            double nc = median(none.stream().mapToDouble(Run::cpu).toArray());
            double pc = median(pack.stream().mapToDouble(Run::cpu).toArray());
            System.out.printf("   medians: no rules %.2f s wall / %.2f s cpu; pack %.2f s wall / %.2f s cpu;"
                    + " pack / no rules %.2fx wall, %.2fx cpu%n", nw, nc, pw, pc, pw / nw, pc / nc);
        } finally {
            emulator.destroy();
            emulator.waitFor();
        }
    }

    private static Path job(Path dir, String base, Path secret, int days, boolean pack) throws IOException {
        String from = Instant.parse(END).minus(Duration.ofDays(days)).toString();
        String yaml = "source:\n  url: " + base + "\n  auth:\n    method: client-secret\n    client-id: bench\n"
                + "    client-secret: ${file:" + secret + "}\n  apps: [all]\n  mode: bounded\n  from: " + from + "\n  to: "
                + END + "\nparallelism: 2\n"
                + (pack ? "rules:\n  builtin: [all]\nsinks:\n  alerts:\n    - type: file\n      path: " + dir.resolve("alerts")
                        + "\n" : "rules:\n  builtin: []\n");
        Path p = dir.resolve((pack ? "pack-" : "none-") + days + "d.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    /** One whole {@code fendersec run} process under {@code /usr/bin/time}. */
    private static Run run(List<String> launcher, String name, Path spec) throws Exception {
        String load = EndToEndBenchmark.load();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %U %S"));
        cmd.addAll(launcher);
        cmd.addAll(List.of("run", spec.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher read = READ.matcher(out);
        Matcher time = TIME.matcher(out);
        if (exit > 1 || !read.find() || !time.find()) { // 1: alerts found, as the pack does
            throw new IOException("run " + spec + " exited " + exit + ":\n" + out);
        }
        Run r = new Run(name, Long.parseLong(read.group(1).replace(",", "")), Double.parseDouble(time.group(1)),
                Double.parseDouble(time.group(2)) + Double.parseDouble(time.group(3)), load);
        System.out.println(r);
        return r;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void awaitPort(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the emulator exited with " + p.exitValue());
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200); // waiting for another process to listen, not timing anything
            }
        }
        throw new IOException("the emulator did not listen on " + port);
    }
}
