package io.fendersec.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import io.fendersec.auth.SecretRef;

/**
 * Settings of the webhook alert sink ({@code type: webhook}). The URL and the signing secret are
 * references, read on the TaskManager (a Slack incoming-webhook URL is itself a secret).
 */
public record WebhookSettings(SecretRef url, SecretRef secret, Format format, int maxRetries, Duration initialBackoff,
        Duration timeout) implements Serializable {
    /** The body: the alert JSON, or a Slack-compatible {@code {"text": ...}} message. */
    public enum Format { JSON, SLACK }

    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        if (format == Format.JSON && secret == null) {
            throw new IllegalArgumentException("a JSON webhook needs a signing secret");
        }
        initialBackoff = initialBackoff == null ? Duration.ofMillis(500) : initialBackoff;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }
}
