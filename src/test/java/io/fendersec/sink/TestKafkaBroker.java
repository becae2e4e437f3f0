package io.fendersec.sink;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process) started from Kafka's own
 * jars in a JVM of its own: the build copies kafka_2.13 and its dependencies into
 * {@code target/kafka-broker/lib} (src/test/kafka-broker/pom.xml, run in pre-integration-test),
 * and the failsafe plugin passes that folder as {@code kafka.broker.lib}. Kept out of the test JVM
 * so that the broker's class path never meets the connector's.
 */
final class TestKafkaBroker implements AutoCloseable {
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Thread shutdownHook;
    private final Path log;
    private final String bootstrap;

    private TestKafkaBroker(Process process, Path log, String bootstrap) {
        this.process = process;
        this.log = log;
        this.bootstrap = bootstrap;
        // Should the test JVM end without @AfterAll (a crash, a timeout kill), take the broker along.
        this.shutdownHook = new Thread(process::destroyForcibly, "kafka-broker-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Formats a fresh log directory under {@code dir}, starts the broker and waits until it answers. */
    static TestKafkaBroker start(Path dir) throws Exception {
        Path lib = Path.of(System.getProperty("kafka.broker.lib", "target/kafka-broker/lib"));
        if (!Files.isDirectory(lib) || !Files.exists(lib.resolve("kafka_2.13-4.2.0.jar"))) {
            throw new IllegalStateException("no Kafka broker jars in " + lib.toAbsolutePath()
                    + ": the build copies them in pre-integration-test (mvn verify, or mvn invoker:run@kafka-broker)");
        }
        int port = freePort();
        int controllerPort = freePort();
        Path logDirs = Files.createDirectories(dir.resolve("data"));
        Path props = dir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDirs,
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "group.initial.rebalance.delay.ms=0",
                ""), StandardCharsets.UTF_8);
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, String.join("\n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.out.ref=out",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n",
                ""), StandardCharsets.UTF_8);
        Path log = lib.getParent().resolve("broker.log");
        Files.deleteIfExists(log);

        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + log4j.toUri(), "-cp", lib + "/*"));

        List<String> format = new ArrayList<>(java);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", props.toString()));
        Process formatting = new ProcessBuilder(format).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!formatting.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("kafka-storage format did not end within " + FORMAT_TIMEOUT + "\n" + tail(log));
            }
        } finally {
            formatting.destroyForcibly();
        }
        if (formatting.exitValue() != 0) {
            throw new IllegalStateException("kafka-storage format failed (exit " + formatting.exitValue() + ")\n" + tail(log));
        }

        List<String> server = new ArrayList<>(java);
        server.addAll(List.of("kafka.Kafka", props.toString()));
        Process p = new ProcessBuilder(server).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        TestKafkaBroker broker = new TestKafkaBroker(p, log, "127.0.0.1:" + port);
        try {
            broker.awaitReady();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrapServers() {
        return bootstrap;
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Until the broker is registered with its controller and answers metadata requests. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "\n" + tail(log));
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Kafka broker did not answer within " + START_TIMEOUT + "\n" + tail(log), last);
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a bounded wait); its JVM is gone on return. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e + ")";
        }
    }
}
