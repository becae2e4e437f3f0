package io.fendersec.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * Key = alert_id, value = the alert JSON. Keying by alert_id puts every version of an alert in
 * one partition, in order, and lets a compacted topic keep only the latest.
 *
 * <p>A record the producer would refuse for what it holds, one larger than its
 * {@code max.request.size}, or an alert that cannot be written as JSON, never reaches the producer:
 * the producer reports such a record only later, as an error of the whole transaction, which would
 * fail the job and with it every other alert of the checkpoint, again after each restart. The alert
 * goes to the {@link DeadLetters dead-letter file} with a one-line WARN and the {@code deadLetters}
 * counter, and the Kafka writer skips it (it sends no record for a null).
 */
public final class AlertKafkaSerializer implements KafkaRecordSerializationSchema<Alert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AlertKafkaSerializer.class);
    /** The producer's default {@code max.request.size}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /**
     * Room for what Kafka adds to key and value (record batch header 61 bytes, record header up to
     * about 20, the timestamp delta): generous, so that a record this check lets through the producer takes.
     */
    static final int RECORD_OVERHEAD = 128;

    private final String topic;
    private final int maxRequestSize;
    private final String deadLetterDir;
    private transient Path deadLetterFile;
    private transient Counter deadLetters;

    /** With the producer's default size limit and the default dead-letter folder. */
    public AlertKafkaSerializer(String topic) {
        this(topic, DEFAULT_MAX_REQUEST_SIZE, null);
    }

    public AlertKafkaSerializer(String topic, int maxRequestSize, String deadLetterDir) {
        this.topic = topic;
        this.maxRequestSize = maxRequestSize;
        this.deadLetterDir = deadLetterDir;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        deadLetterFile = new DeadLetters(deadLetterDir).file("alerts-kafka-" + topic, sinkContext.getParallelInstanceId());
        deadLetters = context.getMetricGroup().counter("deadLetters");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
        byte[] key = alert.alertId().getBytes(StandardCharsets.UTF_8);
        byte[] value;
        try {
            value = AlertJson.toJson(alert).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            deadLetter(alert, "not writable as JSON: " + e.getClass().getSimpleName());
            return null;
        }
        long size = (long) key.length + value.length + RECORD_OVERHEAD;
        if (size > maxRequestSize) {
            deadLetter(alert, "record of about " + size + " bytes is larger than the producer's max.request.size ("
                    + maxRequestSize + ")");
            return null;
        }
        return new ProducerRecord<>(topic, null, alert.lastSeen().toEpochMilli(), key, value);
    }

    private void deadLetter(Alert alert, String reason) {
        if (deadLetterFile == null) { // not opened: outside a Kafka writer (tests)
            deadLetterFile = new DeadLetters(deadLetterDir).file("alerts-kafka-" + topic, 0);
            deadLetters = new SimpleCounter();
        }
        try {
            DeadLetters.write(deadLetterFile, alert, reason);
        } catch (IOException e) {
            // The dead-letter file cannot be written either: then the sink fails, loudly.
            throw new UncheckedIOException("cannot write the dead-letter file " + deadLetterFile + ": " + e.getMessage(), e);
        }
        deadLetters.inc();
        LOG.warn("The Kafka sink refused alert {} of rule {} ({}); written to {}", alert.alertId(), alert.ruleId(), reason,
                deadLetterFile);
    }
}
