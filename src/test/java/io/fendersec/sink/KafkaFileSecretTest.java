package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ${file:PATH} secret in a Kafka property is read by Kafka inside the producer, as the file's content. */
class KafkaFileSecretTest {
    @Test
    void fileReferenceIsResolvedInsideTheProducerAsTheFilesContent(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("kafka-password"), "s3cr3t-kafka\n");
        Properties p = KafkaAlertSink.producerProperties(Map.of("ssl.key.password", "${file:" + secret + "}",
                "sasl.jaas.config", "x password=\"${file:" + secret + "}\";"));
        assertThat(p.getProperty("ssl.key.password")).isEqualTo("${file:" + secret + "}");
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        ProducerConfig resolved = new ProducerConfig(p);
        assertThat(resolved.originals().get("ssl.key.password")).isEqualTo("s3cr3t-kafka");
        assertThat(resolved.originals().get("sasl.jaas.config")).isEqualTo("x password=\"s3cr3t-kafka\";");
    }
}
