package io.fendersec.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A standalone Flink session cluster from the Maven jars of the test class path, as
 * {@code bin/start-cluster.sh} would start it from a distribution: a JobManager JVM
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManager JVMs ({@code TaskManagerRunner}
 * with the memory flags {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} computes), on loopback, with
 * a {@code config.yaml} of its own. Its class path is Flink's, not ours: our classes and the
 * libraries only the fendersec jar brings (connectors, JDBC driver, HTTP client, ...) are left
 * out, so a job runs from the submitted jar as it would on a real cluster.
 *
 * <p>Every process this class starts is killed by {@link #close()}.
 */
final class FlinkSessionCluster implements AutoCloseable {
    /** Artifacts a Flink distribution does not have and the fendersec jar bundles (or test-only ones). */
    private static final List<String> NOT_IN_FLINK_LIB = List.of("flink-connector-jdbc", "flink-connector-kafka",
            "kafka-clients", "postgresql", "jjwt-", "jetty-", "httpclient5", "httpcore5", "picocli", "re2j",
            "flink-test-utils", "flink-connector-test-utils", "junit", "assertj", "jsoup", "jmh-", "opentest4j",
            "apiguardian", "surefire", "failsafe");

    /** Slots per TaskManager: two jobs of parallelism 2. */
    static final int SLOTS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final Path conf;
    final Path logs;
    /** Every temporary file of the cluster's JVMs (blobs, RPC jar, shuffle, web) goes here, not to /tmp. */
    final Path tmp;
    final int restPort;
    private final String classPath;
    private final List<String> jvmOpens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> byName = new java.util.concurrent.ConcurrentHashMap<>();
    private Process jobManager;
    private int taskManagers;

    FlinkSessionCluster(Path home) throws IOException {
        this.home = home;
        this.conf = Files.createDirectories(home.resolve("conf"));
        this.logs = Files.createDirectories(home.resolve("log"));
        this.tmp = Files.createDirectories(home.resolve("tmp"));
        this.restPort = freePort();
        this.classPath = flinkClassPath();
        this.jvmOpens = Arrays.stream(System.getProperty("flink.jvm.opens", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        if (jvmOpens.isEmpty()) {
            throw new IllegalStateException("system property flink.jvm.opens is not set (failsafe sets it from pom.xml)");
        }
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + freePort(),
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 800m",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: " + SLOTS,
                "taskmanager.memory.process.size: 1400m",
                "taskmanager.memory.managed.size: 64m",
                // A TaskManager that dies is noticed within seconds.
                "heartbeat.interval: 2000",
                "heartbeat.timeout: 10000",
                "parallelism.default: 2",
                "io.tmp.dirs: " + tmp,
                "web.tmpdir: " + tmp,
                "") );
        String log4j = String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "appender.main.name = MainAppender",
                "appender.main.type = File",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %t %c{1} - %m%n",
                "");
        Files.writeString(conf.resolve("log4j.properties"), log4j);
        Files.writeString(conf.resolve("log4j-cli.properties"), log4j);
    }

    /** The jars a Flink distribution's lib/ would hold, from this JVM's test class path. */
    static String flinkClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String target = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target").toString();
        List<String> kept = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.isEmpty() || Path.of(entry).toAbsolutePath().toString().startsWith(target)
                    || NOT_IN_FLINK_LIB.stream().anyMatch(name::startsWith)) {
                continue;
            }
            kept.add(entry);
        }
        if (kept.stream().noneMatch(e -> Path.of(e).getFileName().toString().startsWith("flink-runtime-"))) {
            throw new IllegalStateException("flink-runtime is not on the test class path: " + cp);
        }
        return String.join(File.pathSeparator, kept);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private ProcessBuilder jvm(String name, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmOpens);
        cmd.addAll(jvmArgs);
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-Dlog.file=" + logs.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve(name.startsWith("client") ? "log4j-cli.properties" : "log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        pb.redirectOutput(logs.resolve(name + ".out").toFile());
        pb.redirectError(logs.resolve(name + ".err").toFile());
        return pb;
    }

    private Process start(String name, ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        byName.put(name, p);
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    void startJobManager() throws IOException {
        jobManager = start("jobmanager", jvm("jobmanager", List.of("-Xmx512m", "-Xms128m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of("--configDir", conf.toString())));
    }

    /**
     * Starts a TaskManager with the JVM flags and dynamic properties BashJavaUtils computes from the
     * configuration, as {@code bin/taskmanager.sh} does, with {@code env} added to its environment.
     */
    Process startTaskManager(Map<String, String> env) throws IOException, InterruptedException {
        String name = "taskmanager-" + (++taskManagers);
        List<String> params = tmResourceParams(name);
        List<String> jvmArgs = Arrays.asList(params.get(0).trim().split("\\s+"));
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(Arrays.asList(params.get(1).trim().split("\\s+")));
        ProcessBuilder pb = jvm(name, jvmArgs, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args);
        pb.environment().putAll(env);
        return start(name, pb);
    }

    /** The process started under {@code name} (jobmanager, taskmanager-N, or a client's name). */
    Process processesOf(String name) {
        Process p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no process " + name);
        }
        return p;
    }

    /** The JVM-parameters line and the dynamic-properties line of {@code BashJavaUtils GET_TM_RESOURCE_PARAMS}. */
    private List<String> tmResourceParams(String name) throws IOException, InterruptedException {
        Path out = logs.resolve(name + "-bashjavautils.out");
        ProcessBuilder pb = jvm(name + "-bashjavautils", List.of("-Xmx128m"),
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()));
        pb.redirectOutput(out.toFile());
        Process p = start(name + "-bashjavautils", pb);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("BashJavaUtils failed: " + Files.readString(out));
        }
        String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
        List<String> lines = Files.readAllLines(out).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).toList();
        if (lines.size() < 2) {
            throw new IllegalStateException("BashJavaUtils printed no JVM parameters and dynamic properties: "
                    + Files.readString(out));
        }
        return lines.subList(lines.size() - 2, lines.size());
    }

    /** {@code flink run ARGS} ({@code CliFrontend}) in a JVM of its own, against this cluster's REST endpoint. */
    Process flinkRun(String name, List<String> args, Map<String, String> env) throws IOException {
        List<String> cliArgs = new ArrayList<>(List.of("run"));
        cliArgs.addAll(args);
        ProcessBuilder pb = jvm(name, List.of("-Xmx512m"), "org.apache.flink.client.cli.CliFrontend", cliArgs);
        pb.environment().putAll(env);
        return start(name, pb);
    }

    /** GET a REST path; the parsed answer. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(path));
    }

    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    void patch(String path) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Polls until {@code condition} holds; fails with {@code what} and the cluster logs' tails after {@code timeout}. */
    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (jobManager != null && !jobManager.isAlive()) {
                throw new AssertionError("the JobManager died while waiting for " + what + "\n" + logTails());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n" + logTails());
            }
            Thread.sleep(200);
        }
    }

    /** A REST answer, or null while the endpoint cannot answer (starting, job not yet known). */
    JsonNode tryGet(String path) {
        try {
            return get(path);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    void awaitTaskManagers(int n, Duration timeout) throws InterruptedException {
        await(n + " registered TaskManager(s)", timeout, () -> {
            JsonNode o = tryGet("/overview");
            return o != null && o.path("taskmanagers").asInt() == n && o.path("slots-total").asInt() == n * SLOTS;
        });
    }

    /** The last lines of every log file, for failure messages. */
    String logTails() {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                sb.append("==> ").append(f).append(" <==\n");
                sb.append(lines.subList(Math.max(0, lines.size() - 30), lines.size()).stream()
                        .collect(Collectors.joining("\n"))).append('\n');
            }
        } catch (IOException | RuntimeException e) {
            sb.append("(cannot read logs: ").append(e).append(")\n");
        }
        return sb.toString();
    }

    /** Copies the cluster's and clients' logs to {@code dir} (replacing an earlier copy), for a look after the test. */
    void keepLogs(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (var old = Files.list(dir)) {
                    for (Path f : old.toList()) {
                        Files.delete(f);
                    }
                }
            }
            Files.createDirectories(dir);
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            System.err.println("cannot keep the cluster logs in " + dir + ": " + e);
        }
    }

    /** Kills every process this cluster started, and waits for them to end. */
    @Override
    public void close() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        for (Process p : all) {
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
