package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;
import io.fendersec.job.AlertSinkWiring;
import io.fendersec.sink.JdbcSinkSettings;
import io.fendersec.sink.KafkaSinkSettings;
import io.fendersec.sink.WebhookSettings;
import io.fendersec.sink.WebhookSink;

/** sinks.alerts entries of type jdbc, webhook and kafka. */
class AlertSinkSpecReaderTest {
    private static final String SOURCE = "source:\n  url: http://127.0.0.1:8090\n  auth: {client-id: a, private-key: k.pem}\n";

    @TempDir
    Path dir;

    private JobSpec read(String sinks) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, SOURCE + "sinks:\n  alerts:\n" + sinks);
        return new JobSpecReader().read(f);
    }

    private String errors(String sinks) {
        Throwable t = catchThrowable(() -> read(sinks));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    @Test
    void deliverySinksWithTheirSettingsAndDefaults() throws Exception {
        JobSpec spec = read("""
                    - type: jdbc
                      url: jdbc:postgresql://postgres:5432/fendersec
                      user: fendersec
                      password: ${env:FENDERSEC_DB_PASSWORD}
                    - type: webhook
                      url: https://soc.example.com/hooks/fendersec
                      secret: ${file:secrets/webhook}
                      max-retries: 3
                    - type: webhook
                      format: slack
                      url: ${env:SLACK_WEBHOOK_URL}
                    - type: kafka
                      bootstrap-servers: kafka:9092
                      topic: fendersec.alerts
                      properties: {compression.type: zstd, linger.ms: 50}
                """);
        var alerts = spec.sinks.alerts;
        assertThat(alerts).extracting(a -> a.type).containsExactly("jdbc", "webhook", "webhook", "kafka");
        assertThat(alerts.get(0).settings).containsEntry("url", "jdbc:postgresql://postgres:5432/fendersec")
                .containsEntry("user", "fendersec").containsEntry("password", SecretRef.env("FENDERSEC_DB_PASSWORD"))
                .containsEntry("table", "fendersec_alerts").containsEntry("batch-size", 100)
                .containsEntry("batch-interval", Duration.ofSeconds(1));
        assertThat(alerts.get(1).settings).containsEntry("format", "json").containsEntry("max-retries", 3)
                .containsEntry("secret", SecretRef.file(dir.resolve("secrets/webhook").toString()))
                .containsEntry("initial-backoff", Duration.ofMillis(500));
        assertThat(alerts.get(2).settings).containsEntry("url", SecretRef.env("SLACK_WEBHOOK_URL"))
                .doesNotContainKey("secret");
        assertThat(alerts.get(3).settings).containsEntry("transactional-id-prefix", "fendersec-alerts")
                .containsEntry("properties", Map.of("compression.type", "zstd", "linger.ms", "50"));
        // Each entry is wired into its sink's settings field by field; no secret is read to do so.
        assertThat(AlertSinkWiring.jdbc(alerts.get(0).settings)).isEqualTo(new JdbcSinkSettings(
                "jdbc:postgresql://postgres:5432/fendersec", "fendersec", SecretRef.env("FENDERSEC_DB_PASSWORD"),
                "fendersec_alerts", 100, Duration.ofSeconds(1)));
        assertThat(AlertSinkWiring.webhook(alerts.get(1).settings)).isEqualTo(new WebhookSettings(
                SecretRef.literal("https://soc.example.com/hooks/fendersec"),
                SecretRef.file(dir.resolve("secrets/webhook").toString()), WebhookSettings.Format.JSON, 3,
                Duration.ofMillis(500), (Duration) alerts.get(1).settings.get("timeout")));
        assertThat(AlertSinkWiring.webhook(alerts.get(2).settings).format()).isEqualTo(WebhookSettings.Format.SLACK);
        assertThat(AlertSinkWiring.webhook(alerts.get(2).settings).url()).isEqualTo(SecretRef.env("SLACK_WEBHOOK_URL"));
        assertThat(AlertSinkWiring.kafka(alerts.get(3).settings)).isEqualTo(new KafkaSinkSettings("kafka:9092",
                "fendersec.alerts", "fendersec-alerts", Map.of("compression.type", "zstd", "linger.ms", "50")));
        // And each builds the sink of its type.
        assertThat(AlertSinkWiring.create(alerts.get(0)).getClass().getName()).contains("Jdbc");
        assertThat(AlertSinkWiring.create(alerts.get(1))).isInstanceOf(WebhookSink.class);
        assertThat(AlertSinkWiring.create(alerts.get(3)).getClass().getName()).contains("Kafka");
    }

    @Test
    void everyErrorNamesItsDottedPath() {
        String m = errors("""
                    - type: jdbc
                      url: postgres://db/x
                      password: hunter2
                      table: Alerts;drop
                    - type: webhook
                      url: ftp://x
                      format: teams
                      max-retries: 99
                    - type: webhook
                      url: https://x.example/h
                    - type: kafka
                      topic: bad topic
                      properties: {transactional.id: x, sasl.jaas.config: "plain password=hunter2"}
                    - type: kafak
                """);
        assertThat(m).contains(
                "sinks.alerts[0].url: expected a PostgreSQL JDBC URL",
                "sinks.alerts[0].user: missing",
                "sinks.alerts[0].password: expected a secret reference ${env:NAME} or ${file:PATH}, not the secret itself",
                "sinks.alerts[0].table: expected a lower-case table name",
                "sinks.alerts[1].url: expected an http:// or https:// URL",
                "sinks.alerts[1].format: expected one of json | slack, got 'teams'",
                "sinks.alerts[1].max-retries: expected a whole number from 0 to 20, got 99",
                "sinks.alerts[2].secret: missing; expected ${env:NAME} or ${file:PATH}",
                "sinks.alerts[3].bootstrap-servers: missing",
                "sinks.alerts[3].topic: expected a Kafka topic name",
                "sinks.alerts[3].properties.transactional.id: set by the sink",
                "sinks.alerts[3].properties.sasl.jaas.config: holds a secret",
                "sinks.alerts[4].type: expected one of console | file | jdbc | webhook | kafka, got 'kafak' (did you mean kafka?)");
        assertThat(m).doesNotContain("hunter2");
    }

    @Test
    void validateChecksThatReferencedSecretsAreSet() throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, SOURCE + "sinks:\n  alerts:\n    - type: jdbc\n      url: jdbc:postgresql://db/x\n"
                + "      user: u\n      password: ${env:FENDERSEC_TEST_SURELY_UNSET_VAR}\n");
        Throwable t = catchThrowable(() -> new JobSpecReader().checkReferences(true).read(f));
        assertThat(t).hasMessageContaining("sinks.alerts[0].password: environment variable FENDERSEC_TEST_SURELY_UNSET_VAR is not set");
        assertThat(new JobSpecReader().read(f).sinks.alerts).hasSize(1); // a run checks it on the TaskManager
    }
}
