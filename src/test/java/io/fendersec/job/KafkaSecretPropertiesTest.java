package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.fendersec.cli.Main;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.sink.KafkaSinkSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka producer properties whose names suggest a secret must hold ${env:}/${file:} references. */
class KafkaSecretPropertiesTest {
    @TempDir
    Path dir;

    private Path job(String properties) throws Exception {
        return Files.writeString(dir.resolve("job.yaml"), "source:\n  emulator: {}\nsinks:\n  alerts:\n"
                + "    - type: kafka\n      bootstrap-servers: k:9092\n      topic: alerts\n      properties:\n" + properties);
    }

    @Test
    void everySecretLookingPropertyWrittenInClearIsAnErrorNamingItsPath() throws Exception {
        Path f = job("""
                        ssl.key.password: hunter2-a
                        basic.auth.user.info: "user:hunter2-b"
                        sasl.oauthbearer.client.credentials.client.secret: hunter2-c
                        ssl.keystore.key: hunter2-d
                        sasl.login.token: hunter2-e
                        some.api-key: hunter2-f
                        sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="x${env:PATH}";'
                        ssl.truststore.password: "pre ${env:PATH}"
                        sasl.login.callback.jaas.config: 'password="'
                """);
        Throwable t = catchThrowable(() -> new JobSpecReader().read(f));
        assertThat(t).isInstanceOf(ConfigException.class);
        String prefix = "sinks.alerts[0].properties.";
        assertThat(t.getMessage()).contains(prefix + "ssl.key.password: holds a secret",
                prefix + "basic.auth.user.info: holds a secret",
                prefix + "sasl.oauthbearer.client.credentials.client.secret: holds a secret",
                prefix + "ssl.keystore.key: holds a secret", prefix + "sasl.login.token: holds a secret",
                prefix + "some.api-key: holds a secret", prefix + "sasl.jaas.config: holds a secret",
                prefix + "ssl.truststore.password: holds a secret", prefix + "sasl.login.callback.jaas.config: holds a secret");
        assertThat(t.getMessage()).doesNotContain("hunter2");
        assertThat(Main.run("validate", f.toString())).isEqualTo(ExitCode.CONFIG);
    }

    @Test
    void referencesAndSettingsThatOnlyNameASecretAreAccepted() throws Exception {
        Files.writeString(dir.resolve("ts-pass"), "s3cret\n");
        JobSpec spec = new JobSpecReader().checkReferences(true).read(job("""
                        ssl.key.password: ${env:PATH}
                        ssl.truststore.password: ${file:ts-pass}
                        sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="fendersec" password="${env:PATH}";'
                        ssl.keystore.location: /etc/kafka/keystore.jks
                        ssl.keystore.type: PKCS12
                        sasl.oauthbearer.token.endpoint.url: https://idp.example/token
                        security.protocol: SASL_SSL
                """));
        Map<String, String> props = ((KafkaSinkSettings) spec.sinks.alerts.get(0)).properties();
        assertThat(props).containsEntry("ssl.key.password", "${env:PATH}")
                .containsEntry("ssl.truststore.password", "${file:" + dir.resolve("ts-pass").toAbsolutePath() + "}")
                .containsEntry("ssl.keystore.location", "/etc/kafka/keystore.jks");
    }
}
