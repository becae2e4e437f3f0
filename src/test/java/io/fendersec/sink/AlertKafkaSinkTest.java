package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/** What runs without a broker: the record form and the producer settings. */
class AlertKafkaSinkTest {
    @Test
    void recordKeyIsTheAlertIdAndValueTheAlertJson() {
        Alert a = TestAlerts.alert(2, 1);
        ProducerRecord<byte[], byte[]> r = new AlertKafkaSerializer("alerts").serialize(a, null, null);
        assertThat(r.topic()).isEqualTo("alerts");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.alertId());
        assertThat(AlertJson.fromJson(new String(r.value(), StandardCharsets.UTF_8))).isEqualTo(a);
        assertThat(r.timestamp()).isEqualTo(a.lastSeen().toEpochMilli());
    }

    @Test
    void envReferenceInAPropertyIsResolvedByKafkaInsideTheProducer() {
        // PATH is set in every test environment; the value must never be resolved before the producer.
        Properties p = KafkaAlertSink.producerProperties(Map.of("sasl.jaas.config", "x password=\"${env:PATH}\";"));
        assertThat(p.getProperty("sasl.jaas.config")).contains("${env:PATH}");
        assertThat(p.getProperty("transaction.timeout.ms")).isEqualTo("900000");
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        ProducerConfig resolved = new ProducerConfig(p);
        assertThat(resolved.originals().get("sasl.jaas.config")).isEqualTo("x password=\"" + System.getenv("PATH") + "\";");
    }

    @Test
    void userPropertiesWinOverTheDefaultTimeout() {
        assertThat(KafkaAlertSink.producerProperties(Map.of("transaction.timeout.ms", "60000"))
                .getProperty("transaction.timeout.ms")).isEqualTo("60000");
        assertThat(KafkaAlertSink.producerProperties(Map.of())).doesNotContainKey("config.providers");
    }
}
