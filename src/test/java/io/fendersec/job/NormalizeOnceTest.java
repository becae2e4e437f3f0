package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.SimpleUdfStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.normalize.Normalizer;

/**
 * Issue 16: a job with Sigma and SQL rules normalizes each log once. Structural: in the job graph
 * {@link Pipeline} builds, exactly one operator holds a {@link Normalizer} (the Sigma operator,
 * which hands its normalized logs to the SQL table), and the SQL rows are made from that
 * operator's output, not from the source's.
 */
class NormalizeOnceTest {
    @TempDir
    Path dir;

    private StreamGraph graph(String rules) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, String.join("\n",
                "source:",
                "  url: http://127.0.0.1:1",
                "  auth:",
                "    method: client-secret",
                "    client-id: c",
                "    client-secret: ${env:NORMALIZE_ONCE_TEST_UNSET}",
                "  to: 2026-11-28T00:00:00Z",
                "  from: 2026-11-27T00:00:00Z",
                "rules:",
                rules,
                "parallelism: 2",
                ""));
        JobSpec spec = new JobSpecReader().read(file);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkConfig.of(spec, null));
        Pipeline.assemble(env, spec, spec.source.client, Instant.parse("2026-11-27T00:00:00Z"),
                Instant.parse("2026-11-28T00:00:00Z"));
        return env.getStreamGraph();
    }

    private static String sqlFiles() {
        return "  sql: [" + Path.of("sql/device-many-accounts.sql").toAbsolutePath() + ", "
                + Path.of("sql/new-device-model-login.sql").toAbsolutePath() + "]";
    }

    @Test
    void sigmaAndSqlRulesShareOneNormalization() throws Exception {
        StreamGraph g = graph("  builtin: [all]\n" + sqlFiles());
        assertThat(normalizing(g)).containsExactly("detect: normalize + match");
        StreamNode rows = byName(g, "sql: normalized logs to rows");
        assertThat(rows.getInEdges()).hasSize(1);
        assertThat(g.getStreamNode(rows.getInEdges().get(0).getSourceId()).getOperatorName())
                .isEqualTo("detect: normalize + match");
    }

    @Test
    void eachEngineAloneNormalizesOnce() throws Exception {
        assertThat(normalizing(graph("  builtin: [all]"))).containsExactly("detect: normalize + match");
        assertThat(normalizing(graph("  builtin: []\n" + sqlFiles()))).containsExactly("sql: normalize to rows");
    }

    /** The names of the operators whose function holds a normalizer. */
    private static List<String> normalizing(StreamGraph g) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (StreamNode n : g.getStreamNodes()) {
            StreamOperatorFactory<?> f = n.getOperatorFactory();
            if (f instanceof SimpleUdfStreamOperatorFactory<?> udf && holdsNormalizer(udf.getUserFunction())) {
                out.add(n.getOperatorName());
            }
        }
        return out;
    }

    /** Whether the function holds a normalizer, itself or in one of Fendersec's objects it holds (e.g. LogMatch). */
    private static boolean holdsNormalizer(Object function) throws IllegalAccessException {
        return holdsNormalizer(function, 3);
    }

    private static boolean holdsNormalizer(Object o, int depth) throws IllegalAccessException {
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object v = field.get(o);
                if (v == null) {
                    continue;
                }
                if (v instanceof Normalizer) {
                    return true;
                }
                if (depth > 0 && v.getClass().getName().startsWith("io.fendersec.") && holdsNormalizer(v, depth - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static StreamNode byName(StreamGraph g, String name) {
        return g.getStreamNodes().stream().filter(n -> n.getOperatorName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no operator " + name + " in " + g.getStreamNodes()));
    }
}
