package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.sink.AlertSinkSettings;
import io.fendersec.sink.AlertSinkType;

/** The job spec's alert sinks, attached by the registry's wiring: the sinks of their types, in their formats. */
class AlertSinkWiringTest {
    private static final String SOURCE = "source:\n  emulator: {}\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JobSpec read(String sinks) throws Exception {
        Path f = Files.writeString(dir.resolve("job.yaml"), SOURCE + "sinks:\n  alerts:\n" + sinks);
        return new JobSpecReader().read(f);
    }

    private static Alert alert() {
        Map<String, String> group = Map.of("source.ip", "203.0.113.7");
        return Alert.builder().alertId(Alert.idFor("brute-force", "app-1", group, 0)).ruleId("brute-force")
                .kind("event_count").title("Brute force").severity("high").app("app-1").group(group)
                .window(0, 300_000).seen(1000, 2000).count(5).evidence(List.of("uuid-1")).device("device-1")
                .tags(List.of()).references(List.of()).build();
    }

    /** Runs the alert through the spec's sinks on a local MiniCluster and returns what they printed. */
    private static String printed(JobSpec spec, Alert alert) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        AlertSinkWiring.addAll(env.fromData(alert), spec.sinks.alerts);
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            env.execute("console sink");
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void consoleSinkWithFormatOcsfPrintsOcsfDetectionFindings() throws Exception {
        Alert a = alert();
        String out = printed(read("    - {type: console, format: ocsf}\n"), a);
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as("printed: %s", out).hasSize(1);
        JsonNode finding = JSON.readTree(lines.get(0));
        assertThat(finding.path("class_uid").asInt()).isEqualTo(2004);
        assertThat(finding.path("finding_info").path("uid").asText()).isEqualTo(a.alertId());
        assertThat(finding.has("alert_id")).as("not the Fendersec alert JSON").isFalse();
    }

    @Test
    void consoleSinkWithoutFormatPrintsTheAlertJson() throws Exception {
        Alert a = alert();
        String out = printed(read("    - {type: console}\n"), a);
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as("printed: %s", out).hasSize(1);
        assertThat(io.fendersec.model.AlertJson.fromJson(lines.get(0))).isEqualTo(a);
    }

    @Test
    void everyRegisteredTypeIsWiredUnderItsStableUid() throws Exception {
        JobSpec spec = read("""
                    - type: console
                    - type: file
                      path: out/alerts
                    - type: jdbc
                      url: jdbc:postgresql://db:5432/fendersec
                      user: fendersec
                      password: ${env:FENDERSEC_DB_PASSWORD}
                    - type: webhook
                      url: https://soc.example.com/hook
                      secret: ${env:WEBHOOK_SECRET}
                    - type: kafka
                      bootstrap-servers: kafka:9092
                      topic: alerts
                """);
        assertThat(spec.sinks.alerts).extracting(AlertSinkSettings::type).containsExactly(AlertSinkType.values());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        DataStream<Alert> alerts = env.fromData(alert());
        AlertSinkWiring.addAll(alerts, spec.sinks.alerts);
        var graph = env.getStreamGraph();
        Set<String> uids = graph.getStreamNodes().stream().map(StreamNode::getTransformationUID)
                .filter(u -> u != null).collect(Collectors.toSet());
        // The uids jobs had before the registry: savepoints restore the file and Kafka sinks' state by them.
        assertThat(uids).contains("fendersec-alerts-file-1", "alerts-jdbc-2", "alerts-webhook-3", "alerts-kafka-4");
        Set<String> names = graph.getStreamNodes().stream().map(StreamNode::getOperatorName)
                .collect(Collectors.toSet());
        assertThat(Arrays.toString(names.toArray())).contains("alerts: console", "alerts: file");
    }

    /**
     * Issue 26 §2: U+0000 and lone surrogates reach the console as U+FFFD, the same value every other
     * sink gets. Mutation caught: AlertSinkWiring not applying SinkSafeAlerts (the console then shows
     * an escaped NUL and a '?' where the file, webhook and Kafka sinks fail or write something else).
     */
    @Test
    void deviceTextASinkWouldRefuseIsPrintedAsTheReplacementCharacter() throws Exception {
        // (fromData serializes the alert before the job runs: a lone surrogate would be '?' by then; the
        // sink-safe stage's own handling of those is SinkSafeTextTest's and JdbcAlertSinkIT's)
        Alert a = alert().toBuilder().group(Map.of("source.ip", "203.0.113.7\u0000")).device("dev\u0000").build();
        String out = printed(read("    - {type: console}\n"), a);
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as("printed: %s", out).hasSize(1);
        JsonNode json = JSON.readTree(lines.get(0));
        assertThat(json.path("group").path("source.ip").asText()).isEqualTo("203.0.113.7\uFFFD");
        assertThat(json.path("device").asText()).isEqualTo("dev\uFFFD");
    }

    /**
     * Every sink, whatever its type, takes its alerts from the sink-safe stage. Mutation caught: a
     * sink attached to the raw stream (e.g. the default console, or a sink with evidence: ids whose
     * extra map starts from the raw alerts).
     */
    @Test
    void everySinkReadsThroughTheSinkSafeStage() throws Exception {
        JobSpec spec = read("""
                    - type: console
                    - type: file
                      path: out/alerts
                      evidence: logs
                    - type: jdbc
                      url: jdbc:postgresql://db:5432/fendersec
                      user: fendersec
                      password: ${env:FENDERSEC_DB_PASSWORD}
                    - type: webhook
                      url: https://soc.example.com/hook
                      secret: ${env:WEBHOOK_SECRET}
                    - type: kafka
                      bootstrap-servers: kafka:9092
                      topic: alerts
                """);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        AlertSinkWiring.addAll(env.fromData(alert()), spec.sinks.alerts, List.of(false, true, false, false, false));
        var graph = env.getStreamGraph(false);
        List<StreamNode> sinks = graph.getStreamNodes().stream().filter(n -> n.getOutEdges().isEmpty()).toList();
        assertThat(sinks).hasSizeGreaterThanOrEqualTo(5);
        for (StreamNode sink : sinks) {
            assertThat(upstreamUids(graph, sink)).as("upstream of %s", sink.getOperatorName())
                    .contains(io.fendersec.sink.SinkSafeAlerts.UID);
        }
    }

    private static Set<String> upstreamUids(org.apache.flink.streaming.api.graph.StreamGraph graph, StreamNode node) {
        Set<String> uids = new java.util.HashSet<>();
        java.util.Deque<StreamNode> todo = new java.util.ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            StreamNode n = todo.pop();
            if (n.getTransformationUID() != null) {
                uids.add(n.getTransformationUID());
            }
            n.getInEdges().forEach(e -> todo.push(graph.getStreamNode(e.getSourceId())));
        }
        return uids;
    }
}
