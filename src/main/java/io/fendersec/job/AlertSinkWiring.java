package io.fendersec.job;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.auth.SecretRef;
import io.fendersec.sink.JdbcAlertSink;
import io.fendersec.sink.JdbcSinkSettings;
import io.fendersec.sink.KafkaAlertSink;
import io.fendersec.sink.KafkaSinkSettings;
import io.fendersec.sink.WebhookSettings;
import io.fendersec.sink.WebhookSink;
import io.fendersec.model.Alert;

/**
 * Builds the delivery sinks of {@code sinks.alerts} ({@code jdbc}, {@code webhook}, {@code kafka})
 * from the settings the job-spec reader checked. Console and file sinks are the pipeline's own.
 */
public final class AlertSinkWiring {
    private AlertSinkWiring() {}

    /** Whether {@link #add} handles this sink type. */
    public static boolean handles(String type) {
        return "jdbc".equals(type) || "webhook".equals(type) || "kafka".equals(type);
    }

    /**
     * Attaches the sink to {@code alerts}. {@code position} is the entry's index in
     * {@code sinks.alerts}; it makes the operator uid stable (state of the Kafka sink's
     * transactions is restored by uid) and unique when two entries share a type.
     */
    public static DataStreamSink<Alert> add(DataStream<Alert> alerts, SinksSpec.AlertSinkSpec spec, int position) {
        String name = "alerts-" + spec.type + "-" + position;
        return alerts.sinkTo(create(spec)).name(name).uid(name);
    }

    public static Sink<Alert> create(SinksSpec.AlertSinkSpec spec) {
        Map<String, Object> s = spec.settings;
        switch (spec.type) {
            case "jdbc":
                return JdbcAlertSink.create(jdbc(s));
            case "webhook":
                return new WebhookSink(webhook(s));
            case "kafka":
                return KafkaAlertSink.create(kafka(s));
            default:
                throw new IllegalArgumentException("not a delivery sink type: " + spec.type);
        }
    }

    static JdbcSinkSettings jdbc(Map<String, Object> s) {
        return new JdbcSinkSettings((String) s.get("url"), (String) s.get("user"), (SecretRef) s.get("password"),
                (String) s.get("table"), (Integer) s.getOrDefault("batch-size", 100), (Duration) s.get("batch-interval"));
    }

    static WebhookSettings webhook(Map<String, Object> s) {
        Object url = s.get("url");
        return new WebhookSettings(url instanceof SecretRef ? (SecretRef) url : SecretRef.literal((String) url),
                (SecretRef) s.get("secret"),
                WebhookSettings.Format.valueOf(((String) s.getOrDefault("format", "json")).toUpperCase(Locale.ROOT)),
                (Integer) s.getOrDefault("max-retries", 5), (Duration) s.get("initial-backoff"), (Duration) s.get("timeout"));
    }

    @SuppressWarnings("unchecked")
    static KafkaSinkSettings kafka(Map<String, Object> s) {
        return new KafkaSinkSettings((String) s.get("bootstrap-servers"), (String) s.get("topic"),
                (String) s.get("transactional-id-prefix"), (Map<String, String>) s.get("properties"));
    }
}
