package io.fendersec.sink;

import java.util.Map;
import java.util.Properties;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

import io.fendersec.model.Alert;

/**
 * Alerts into a Kafka topic, exactly once: each checkpoint's alerts are written in a Kafka
 * transaction that commits when the checkpoint completes, so consumers reading with
 * {@code isolation.level=read_committed} see every alert once, also across restarts.
 */
public final class KafkaAlertSink {
    /**
     * Kafka brokers cap transactions at transaction.max.timeout.ms (15 minutes by default); the
     * producer's timeout must not exceed it, and must outlast a checkpoint plus a restart.
     */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private KafkaAlertSink() {}

    public static KafkaSink<Alert> create(KafkaSinkSettings s) {
        return KafkaSink.<Alert>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setRecordSerializer(new AlertKafkaSerializer(s.topic(), maxRequestSize(s.properties()), s.deadLetters()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(s.transactionalIdPrefix())
                .setKafkaProducerConfig(producerProperties(s.properties()))
                .build();
    }

    /**
     * The producer's {@code max.request.size}: the user's when set as a plain number (a reference
     * is resolved only inside the producer; then Kafka's default is the bound checked).
     */
    static int maxRequestSize(Map<String, String> user) {
        String v = user.get("max.request.size");
        if (v != null && v.trim().matches("[0-9]{1,10}")) {
            long n = Long.parseLong(v.trim());
            return (int) Math.min(Integer.MAX_VALUE, n);
        }
        return AlertKafkaSerializer.DEFAULT_MAX_REQUEST_SIZE;
    }

    /**
     * The user's producer properties, plus: the transaction timeout default above, and Kafka's
     * environment-variable config provider and {@link SecretFileConfigProvider} when a value
     * references ${env:NAME} or ${file:PATH}, so that a secret such as a SASL password is read
     * inside the producer on the TaskManager and is never part of the job graph.
     */
    static Properties producerProperties(Map<String, String> user) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        p.putAll(user);
        boolean envRefs = user.values().stream().anyMatch(v -> v.contains("${env:"));
        boolean fileRefs = user.values().stream().anyMatch(v -> v.contains("${file:"));
        if ((envRefs || fileRefs) && !user.containsKey("config.providers")) {
            p.setProperty("config.providers", "env,file");
            p.setProperty("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
            p.setProperty("config.providers.file.class", SecretFileConfigProvider.class.getName());
        }
        return p;
    }
}
