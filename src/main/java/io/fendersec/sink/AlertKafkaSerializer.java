package io.fendersec.sink;

import java.nio.charset.StandardCharsets;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * Key = alert_id, value = the alert JSON. Keying by alert_id puts every version of an alert in
 * one partition, in order, and lets a compacted topic keep only the latest.
 */
public final class AlertKafkaSerializer implements KafkaRecordSerializationSchema<Alert> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public AlertKafkaSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, alert.lastSeen().toEpochMilli(),
                alert.alertId().getBytes(StandardCharsets.UTF_8),
                AlertJson.toJson(alert).getBytes(StandardCharsets.UTF_8));
    }
}
