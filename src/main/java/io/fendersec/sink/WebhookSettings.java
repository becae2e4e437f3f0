package io.fendersec.sink;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;

/**
 * {@code type: webhook}: signed HTTP POSTs ({@link WebhookSink}). The URL and the signing secret are
 * references, read on the TaskManager (a Slack incoming-webhook URL is itself a secret).
 */
public record WebhookSettings(SecretRef url, SecretRef secret, Format format, int maxRetries, Duration initialBackoff,
        Duration timeout, int batchSize, Duration batchInterval, String deadLetters) implements AlertSinkSettings, Serializable {
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** One alert per POST, the body receivers have always had; above 1, {@code {"alerts": [...]}}. */
    public static final int DEFAULT_BATCH_SIZE = 1;
    public static final int MAX_BATCH_SIZE = 1_000;
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofSeconds(1);

    /** The body: the alert JSON, or a Slack-compatible {@code {"text": ...}} message. */
    public enum Format { JSON, SLACK }

    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        if (format == Format.JSON && secret == null) {
            throw new IllegalArgumentException("a JSON webhook needs a signing secret");
        }
        initialBackoff = initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        batchSize = batchSize <= 0 ? DEFAULT_BATCH_SIZE : batchSize;
        if (batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size " + batchSize + " above " + MAX_BATCH_SIZE);
        }
        batchInterval = batchInterval == null ? DEFAULT_BATCH_INTERVAL : batchInterval;
        deadLetters = deadLetters == null ? DeadLetters.DEFAULT_DIR : deadLetters;
    }

    /** One alert per POST, dead letters in the default folder. */
    public WebhookSettings(SecretRef url, SecretRef secret, Format format, int maxRetries, Duration initialBackoff,
            Duration timeout) {
        this(url, secret, format, maxRetries, initialBackoff, timeout, DEFAULT_BATCH_SIZE, null, null);
    }

    @Override
    public AlertSinkType type() {
        return AlertSinkType.WEBHOOK;
    }

    @Override
    public DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid) {
        return alerts.sinkTo(new WebhookSink(this)).name(uid).uid(uid);
    }

    /**
     * Checks a resolved webhook URL (an absolute http or https URL with a host and a valid port)
     * and returns it parsed. The error names the setting and where the URL came from, never the
     * URL or a piece of it: it may be the secret.
     */
    public static URI checkUrl(String resolved, String keyPath, SecretRef from) {
        String problem;
        try {
            URI u = new URI(resolved);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "it is not an http:// or https:// URL";
            } else if (u.getHost() == null || u.getHost().isEmpty()) {
                problem = "it has no host name";
            } else if (u.getPort() > 65535) {
                problem = "its port is above 65535";
            } else if (u.getRawUserInfo() != null) {
                problem = "it has user:password@ before the host, which HTTP clients refuse (the receiver checks"
                        + " the signature; put a token in the path or query if it needs one)";
            } else if (u.getRawFragment() != null) {
                problem = "it has a #fragment";
            } else {
                return u;
            }
        } catch (URISyntaxException e) {
            problem = "it is not a valid URL (" + e.getReason() + " at character " + (e.getIndex() + 1) + ")";
        }
        throw new ConfigException(keyPath + ": the URL " + (from == null || from.kind() == SecretRef.Kind.LITERAL
                ? "" : "in " + from + " ") + "cannot be used: " + problem
                + "; the URL itself is not shown, it may be a secret");
    }
}
