package io.fendersec.sink;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Kafka alert sink ({@code type: kafka}). {@code properties} are extra producer
 * settings; a secret in them is written as {@code ${env:NAME}} and resolved by Kafka's own
 * config provider inside the producer, on the TaskManager.
 */
public record KafkaSinkSettings(String bootstrapServers, String topic, String transactionalIdPrefix,
        Map<String, String> properties) implements Serializable {
    public KafkaSinkSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        transactionalIdPrefix = transactionalIdPrefix == null ? "fendersec-alerts" : transactionalIdPrefix;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
