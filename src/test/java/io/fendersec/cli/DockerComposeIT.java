package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fendersec.auth.SecretRef;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.sink.AlertStoreSchema;
import io.fendersec.sink.JdbcSinkSettings;
import picocli.CommandLine;

/**
 * docker-compose.yml, checked without Docker (which does not run here): images, ports, mounted
 * files, commands (parsed by the real command line, the job validated by the job-spec reader),
 * and the Grafana dashboard's SQL run against a real PostgreSQL with the alert-store schema.
 */
class DockerComposeIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final String JAR = "/opt/fendersec/fendersec.jar";
    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws Exception {
        compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        services = compose.get("services");
    }

    private static JsonNode service(String name) {
        JsonNode s = services.get(name);
        assertThat(s).as("service " + name).isNotNull();
        return s;
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** Container path -> host path (relative to the repository) of a service's bind mounts. */
    private static Map<String, String> binds(String name) {
        Map<String, String> m = new HashMap<>();
        for (String v : list(service(name).path("volumes"))) {
            String[] p = v.split(":");
            if (p[0].startsWith("./")) {
                m.put(p[1], p[0]);
            }
        }
        return m;
    }

    @Test
    void flinkImagesAreTheOfficialImageOfOurFlinkVersionOnJava17() {
        for (String s : List.of("jobmanager", "taskmanager", "submit")) {
            String image = service(s).get("image").asText();
            assertThat(image).as(s).startsWith("flink:" + EnvironmentInformation.getVersion() + "-").endsWith("-java17");
        }
        assertThat(service("jobmanager").get("command").asText()).isEqualTo("jobmanager");
        assertThat(service("taskmanager").get("command").asText()).isEqualTo("taskmanager");
        assertThat(service("emulator").get("image").asText()).startsWith("eclipse-temurin:17");
        assertThat(list(service("jobmanager").get("ports"))).contains("127.0.0.1:8081:8081");
        assertThat(list(service("grafana").get("ports"))).contains("127.0.0.1:3000:3000");
    }

    @Test
    void everyMountedFileExistsInTheRepositoryOrIsTheBuiltJar() {
        services.fields().forEachRemaining(e -> binds(e.getKey()).forEach((container, host) ->
                assertThat(ROOT.resolve(host)).as(e.getKey() + " mounts " + host).exists()));
        assertThat(binds("emulator")).containsEntry(JAR, "./target/fendersec.jar");
        assertThat(binds("submit")).containsEntry(JAR, "./target/fendersec.jar");
    }

    @Test
    void emulatorCommandParsesWithTheRealCommandLine() {
        List<String> cmd = list(service("emulator").get("command"));
        assertThat(cmd.subList(0, 3)).containsExactly("java", "-jar", JAR);
        CommandLine.ParseResult r = Main.commandLine().parseArgs(cmd.subList(3, cmd.size()).toArray(String[]::new));
        CommandLine.ParseResult emu = r.subcommand();
        assertThat(emu.commandSpec().name()).isEqualTo("emulator");
        assertThat(emu.matchedOptionValue("--bind", "")).isEqualTo("0.0.0.0");
        assertThat(emu.matchedOptionValue("--public-url", "")).isEqualTo("http://emulator:8090");
        assertThat(list(service("emulator").get("ports"))).contains("127.0.0.1:" + emu.matchedOptionValue("--port", 0) + ":8090");
        // The keys it generates are where the job's private key points, on a shared volume.
        Path keys = emu.matchedOptionValue("--generate-keys", Path.of("none"));
        assertThat(list(service("emulator").get("volumes"))).contains("keys:" + keys);
        assertThat(list(service("taskmanager").get("volumes"))).contains("keys:" + keys + ":ro");
    }

    @Test
    void submittedJobIsValidAndPointsAtTheEmulatorAndPostgres() throws Exception {
        List<String> cmd = list(service("submit").get("command"));
        assertThat(cmd.subList(0, 2)).containsExactly("flink", "run");
        int jar = cmd.indexOf(JAR);
        assertThat(jar).as("the jar in the submit command").isPositive();
        assertThat(cmd.subList(0, jar)).containsSequence("-m", "jobmanager:8081");
        assertThat(cmd.get(jar + 1)).isEqualTo("run");
        String jobHost = binds("submit").get(cmd.get(jar + 2));
        assertThat(jobHost).as("the job file is mounted").isNotNull();

        JobSpec job = new JobSpecReader().read(ROOT.resolve(jobHost));
        URI source = job.source.client.baseUrl();
        assertThat(source.getHost()).isEqualTo("emulator");
        assertThat(source.toString()).startsWith(list(service("emulator").get("command")).stream()
                .dropWhile(a -> !a.equals("--public-url")).skip(1).findFirst().orElseThrow());
        assertThat(job.source.client.auth().clientId()).isEqualTo("demo-service-account");
        assertThat(job.source.client.auth().privateKeyFile()).isEqualTo("/keys/private-key.pem");

        JdbcSinkSettings jdbc = job.sinks.alerts.stream().filter(JdbcSinkSettings.class::isInstance)
                .map(JdbcSinkSettings.class::cast).findFirst().orElseThrow();
        JsonNode pg = service("postgres").get("environment");
        assertThat(jdbc.url()).isEqualTo("jdbc:postgresql://postgres:5432/" + pg.get("POSTGRES_DB").asText());
        assertThat(jdbc.user()).isEqualTo(pg.get("POSTGRES_USER").asText());
        // The password is a reference, set in the TaskManager's environment (where it is read) only.
        SecretRef password = jdbc.password();
        String var = password.toString().replaceAll("^\\$\\{env:(.*)}$", "$1");
        assertThat(service("taskmanager").get("environment").has(var)).as(var + " on the TaskManager").isTrue();
        assertThat(service("jobmanager").get("environment").has(var)).isFalse();
        assertThat(service("taskmanager").get("environment").get(var).asText())
                .isEqualTo(pg.get("POSTGRES_PASSWORD").asText());
    }

    @Test
    void grafanaDatasourceMatchesThePostgresService() throws Exception {
        JsonNode ds = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/fendersec.yaml").toFile())
                .get("datasources").get(0);
        JsonNode pg = service("postgres").get("environment");
        assertThat(ds.get("url").asText()).isEqualTo("postgres:5432");
        assertThat(ds.get("user").asText()).isEqualTo(pg.get("POSTGRES_USER").asText());
        assertThat(ds.get("jsonData").get("database").asText()).isEqualTo(pg.get("POSTGRES_DB").asText());
        String pw = ds.get("secureJsonData").get("password").asText();
        assertThat(service("grafana").get("environment").get(pw.substring(1)).asText())
                .isEqualTo(pg.get("POSTGRES_PASSWORD").asText());
        assertThat(binds("postgres")).containsEntry("/docker-entrypoint-initdb.d/10-alert-store.sql",
                "./src/main/resources/io/fendersec/sink/alert-store.sql");
    }

    /**
     * Job health: Flink's Prometheus reporter on both Flink services, Prometheus scraping exactly
     * those, and Grafana's Prometheus data source (which the dashboard's job-health row uses)
     * pointing at it.
     */
    @Test
    void prometheusScrapesFlinksReporterAndGrafanaReadsPrometheus() throws Exception {
        String flinkProperties = compose.get("x-flink-config").get("FLINK_PROPERTIES").asText();
        assertThat(flinkProperties)
                .contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .contains("metrics.reporter.prom.port: 9249");
        assertThat(service("prometheus").get("image").asText()).startsWith("prom/prometheus:");
        String config = binds("prometheus").get("/etc/prometheus/prometheus.yml");
        JsonNode scrape = YAML.readTree(ROOT.resolve(config).toFile()).get("scrape_configs").get(0);
        assertThat(list(scrape.get("static_configs").get(0).get("targets")))
                .containsExactlyInAnyOrder("jobmanager:9249", "taskmanager:9249");
        JsonNode ds = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/metrics.yaml").toFile())
                .get("datasources").get(0);
        assertThat(ds.get("type").asText()).isEqualTo("prometheus");
        assertThat(ds.get("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(list(service("prometheus").get("ports"))).contains("127.0.0.1:9090:9090");

        JsonNode dash = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/dashboards/fendersec-alerts.json").toFile());
        List<String> health = new ArrayList<>();
        dash.get("panels").forEach(p -> {
            if (p.path("datasource").path("uid").asText().equals(ds.get("uid").asText())) {
                health.add(p.get("title").asText());
            }
        });
        assertThat(health).contains("Logs read per second by app", "Alerts by rule (5 min)", "Lag behind the tail by app",
                "Bugfender API", "Logs too late, restarts, checkpoints");
    }

    /**
     * Every panel query runs against the alert-store schema on a real server, with Grafana's
     * macros expanded the way its PostgreSQL data source does; a wrong column or table fails.
     */
    @Test
    void dashboardQueriesRunAgainstTheAlertStoreSchema() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/dashboards/fendersec-alerts.json").toFile());
        List<String> titles = new ArrayList<>();
        dash.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).contains("Alerts over time by rule", "Alerts over time by severity", "Top devices", "Latest alerts");
        Map<String, String> pg = io.fendersec.sink.TestPostgresAccess.settings();
        try (Connection c = DriverManager.getConnection(pg.get("FENDERSEC_TEST_JDBC_URL"), pg.get("FENDERSEC_TEST_JDBC_USER"),
                pg.get("FENDERSEC_TEST_JDBC_PASSWORD")); Statement s = c.createStatement()) {
            new AlertStoreSchema(AlertStoreSchema.DEFAULT_TABLE).createIfAbsent(c);
            for (JsonNode p : dash.get("panels")) {
                if (!p.path("datasource").path("uid").asText().equals("fendersec-alerts")) {
                    continue; // job health: Prometheus queries, checked by JobHealthMetricsIT
                }
                for (JsonNode t : p.get("targets")) {
                    assertThat(t.get("datasource").get("uid").asText()).isEqualTo("fendersec-alerts");
                    String sql = t.get("rawSql").asText()
                            .replaceAll("\\$__timeGroupAlias\\((\\w+), '[^']+'\\)", "date_trunc('minute', $1) AS \"time\"")
                            .replaceAll("\\$__timeFilter\\((\\w+)\\)", "$1 BETWEEN now() - interval '2 days' AND now()");
                    assertThat(sql).as(p.get("title").asText()).doesNotContain("$__");
                    s.executeQuery(sql).close();
                }
            }
        }
    }

    /**
     * Flink's REST API takes jar uploads: published on every interface it is code execution on a
     * cluster that holds the database password and the key volume. Every published port of every
     * service is bound to 127.0.0.1.
     * Mutation caught: any port published as "8081:8081" (Docker's default: all interfaces), or a
     * new service published without the address.
     */
    @Test
    void everyPublishedPortIsBoundToLoopbackOnly() {
        List<String> published = new ArrayList<>();
        services.fields().forEachRemaining(e -> list(e.getValue().path("ports")).forEach(p -> published.add(e.getKey() + " " + p)));
        assertThat(published).isNotEmpty().allSatisfy(p -> assertThat(p).matches("\\S+ 127\\.0\\.0\\.1:\\d+:\\d+"));
    }

    /**
     * No password has a default: PostgreSQL's and Grafana's admin password come from the
     * environment, and compose refuses to start without them ({@code ${VAR:?message}}); the file
     * says it is a demo.
     * Mutations caught: {@code ${FENDERSEC_DB_PASSWORD:-fendersec-demo}} (a default password on a
     * published database), Grafana left at admin/admin (no GF_SECURITY_ADMIN_PASSWORD), the demo
     * warning removed from the header.
     */
    @Test
    void passwordsComeFromTheEnvironmentWithNoDefaultAndTheFileSaysItIsADemo() throws Exception {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(text.lines().findFirst().orElseThrow()).startsWith("# DEMO ONLY");
        assertThat(text).doesNotContainPattern("\\$\\{[A-Z_]*PASSWORD[A-Z_]*:-");
        String required = "\\$\\{%s:\\?[^}]+}";
        assertThat(service("postgres").get("environment").get("POSTGRES_PASSWORD").asText())
                .matches(required.formatted("FENDERSEC_DB_PASSWORD"));
        JsonNode grafana = service("grafana").get("environment");
        assertThat(grafana.path("GF_SECURITY_ADMIN_PASSWORD").asText()).matches(required.formatted("GRAFANA_ADMIN_PASSWORD"));
        assertThat(grafana.path("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("false");
        services.fields().forEachRemaining(e -> e.getValue().path("environment").fields().forEachRemaining(v -> {
            if (v.getKey().contains("PASSWORD")) {
                assertThat(v.getValue().asText()).as(e.getKey() + " " + v.getKey()).matches("\\$\\{[A-Z_]+:\\?[^}]+}");
            }
        }));
    }
}
