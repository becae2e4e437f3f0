package io.fendersec.sink;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.model.Alert;

/**
 * {@code type: kafka}: the exactly-once Kafka alert sink ({@link KafkaAlertSink}). {@code properties} are extra producer
 * settings; a secret in them is written as {@code ${env:NAME}} and resolved by Kafka's own
 * config provider inside the producer, on the TaskManager.
 */
public record KafkaSinkSettings(String bootstrapServers, String topic, String transactionalIdPrefix,
        Map<String, String> properties, String deadLetters) implements AlertSinkSettings, Serializable {
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "fendersec-alerts";

    public KafkaSinkSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        transactionalIdPrefix = transactionalIdPrefix == null ? DEFAULT_TRANSACTIONAL_ID_PREFIX : transactionalIdPrefix;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        deadLetters = deadLetters == null ? DeadLetters.DEFAULT_DIR : deadLetters;
    }

    /** With the default dead-letter folder. */
    public KafkaSinkSettings(String bootstrapServers, String topic, String transactionalIdPrefix,
            Map<String, String> properties) {
        this(bootstrapServers, topic, transactionalIdPrefix, properties, null);
    }

    @Override
    public AlertSinkType type() {
        return AlertSinkType.KAFKA;
    }

    @Override
    public DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid) {
        return alerts.sinkTo(KafkaAlertSink.create(this)).name(uid).uid(uid);
    }
}
