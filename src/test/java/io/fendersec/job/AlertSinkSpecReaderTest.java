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
import io.fendersec.sink.AlertFormat;
import io.fendersec.sink.AlertSinkSettings;
import io.fendersec.sink.AlertSinkType;
import io.fendersec.sink.ConsoleSinkSettings;
import io.fendersec.sink.FileSinkSettings;
import io.fendersec.sink.JdbcSinkSettings;
import io.fendersec.sink.KafkaSinkSettings;
import io.fendersec.sink.WebhookSettings;

/** sinks.alerts entries, read into their sink type's settings. */
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
        assertThat(alerts).extracting(AlertSinkSettings::type)
                .containsExactly(AlertSinkType.JDBC, AlertSinkType.WEBHOOK, AlertSinkType.WEBHOOK, AlertSinkType.KAFKA);
        // Each entry is read into its sink's settings, with the defaults filled in; no secret is read to do so.
        assertThat(alerts.get(0)).isEqualTo(new JdbcSinkSettings(
                "jdbc:postgresql://postgres:5432/fendersec", "fendersec", SecretRef.env("FENDERSEC_DB_PASSWORD"),
                "fendersec_alerts", 100, Duration.ofSeconds(1)));
        assertThat(alerts.get(1)).isEqualTo(new WebhookSettings(
                SecretRef.literal("https://soc.example.com/hooks/fendersec"),
                SecretRef.file(dir.resolve("secrets/webhook").toString()), WebhookSettings.Format.JSON, 3,
                Duration.ofMillis(500), Duration.ofSeconds(10)));
        WebhookSettings slack = (WebhookSettings) alerts.get(2);
        assertThat(slack.format()).isEqualTo(WebhookSettings.Format.SLACK);
        assertThat(slack.url()).isEqualTo(SecretRef.env("SLACK_WEBHOOK_URL"));
        assertThat(slack.secret()).isNull();
        assertThat(slack.maxRetries()).isEqualTo(5);
        assertThat(alerts.get(3)).isEqualTo(new KafkaSinkSettings("kafka:9092",
                "fendersec.alerts", "fendersec-alerts", Map.of("compression.type", "zstd", "linger.ms", "50")));
    }

    @Test
    void consoleAndFileSinksWithTheirFormats() throws Exception {
        JobSpec spec = read("""
                    - type: console
                    - type: console
                      format: ocsf
                    - type: file
                      path: out/alerts
                      format: ocsf
                """);
        assertThat(spec.sinks.alerts).containsExactly(new ConsoleSinkSettings(AlertFormat.JSON),
                new ConsoleSinkSettings(AlertFormat.OCSF),
                new FileSinkSettings(dir.resolve("out/alerts").toString(), AlertFormat.OCSF));
        assertThat(errors("    - {type: console, format: xml, path: x}\n")).contains(
                "sinks.alerts[0].format: expected one of json | ocsf, got 'xml'", "sinks.alerts[0].path");
    }

    // Issue 27 §3. Mutation caught: the file sink's permissions key unread (every file sink owner-only,
    // or none), or an unknown value accepted.
    @Test
    void aFileSinkIsOwnerOnlyUnlessItSaysUmask() throws Exception {
        JobSpec spec = read("""
                    - {type: file, path: a}
                    - {type: file, path: b, permissions: umask}
                """);
        assertThat(spec.sinks.alerts).containsExactly(new FileSinkSettings(dir.resolve("a").toString(), AlertFormat.JSON, true),
                new FileSinkSettings(dir.resolve("b").toString(), AlertFormat.JSON, false));
        assertThat(errors("    - {type: file, path: x, permissions: public}\n"))
                .contains("sinks.alerts[0].permissions: expected one of private | umask, got 'public'");
    }

    @Test
    void everySinkTypeOfTheRegistryIsReadByTheJobSpecReader() throws Exception {
        // One entry per registered type, in registry order: the reader knows them all by name.
        StringBuilder yaml = new StringBuilder();
        for (AlertSinkType t : AlertSinkType.values()) {
            yaml.append("    - type: ").append(t.specName()).append('\n');
        }
        String m = errors(yaml.toString());
        assertThat(m).doesNotContain("expected one of console");
        assertThat(m).contains("sinks.alerts[" + AlertSinkType.JDBC.ordinal() + "].url: missing");
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

    // Issue 26 §3: the alert budget is configurable with a documented default, and refused with its key path.
    // Mutations caught: sinks.budget ignored (the default kept), its limits unchecked, unknown keys accepted.
    @Test
    void alertBudgetDefaultsSettingsAndErrorsWithKeyPaths() throws Exception {
        assertThat(read("    - type: console\n").sinks.budget)
                .isEqualTo(new io.fendersec.sink.budget.AlertBudget(100, java.time.Duration.ofHours(1)));
        Path f = dir.resolve("budget.yaml");
        Files.writeString(f, SOURCE + "sinks:\n  budget: {max-alerts: 20, per: 15m}\n");
        assertThat(new JobSpecReader().read(f).sinks.budget)
                .isEqualTo(new io.fendersec.sink.budget.AlertBudget(20, java.time.Duration.ofMinutes(15)));
        Files.writeString(f, SOURCE + "sinks:\n  budget: {max-alerts: 0, per: 10s, max: 3}\n");
        Throwable t = catchThrowable(() -> new JobSpecReader().read(f));
        assertThat(t).isInstanceOf(ConfigException.class);
        assertThat(t.getMessage()).contains("sinks.budget.max-alerts: expected a whole number from 1 to 1000000, got 0",
                "sinks.budget.per: expected a period from 1m to 7d, got 10s", "sinks.budget.max");
    }
}
