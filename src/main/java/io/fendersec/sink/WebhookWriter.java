package io.fendersec.sink;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.model.Alert;

/**
 * Posts alerts in batches of up to {@code batch-size} (one alert per POST by default), sent when
 * full, {@code batch-interval} after the first alert of a batch, and before every checkpoint:
 * {@link #flush} returns only once the receiver took every alert written so far (2xx), so when a
 * checkpoint barrier passes this writer every earlier alert has been delivered (at least once). The
 * blocking send gives back-pressure instead of an unbounded queue when the receiver is slow.
 *
 * <p>5xx, 408, 429 and connection errors are retried with exponential backoff (equal jitter,
 * capped at 30 s); when the retries run out the write fails and with it the job, which restarts from
 * the last checkpoint and sends again. 400, 413 and 422 say the receiver refuses what the body
 * holds, not the sink: a batch so refused is sent again one alert at a time, the alerts it takes are
 * delivered and each one it still refuses goes to the {@link DeadLetters dead-letter file} with a
 * one-line WARN and the {@code deadLetters} counter, so that one alert never takes the others with
 * it. Any other 4xx (a wrong URL or secret, which retrying cannot fix) fails the job at once.
 */
final class WebhookWriter implements SinkWriter<Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWriter.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private static final String KEY = "sinks.alerts[].url";

    private final WebhookSettings settings;
    /** The resolved URL: a secret when it came from a reference (a Slack webhook URL is one). */
    private final String url;
    private final URI uri;
    private final WebhookSigner signer;
    private final CloseableHttpClient http;
    private final Path deadLetterFile;
    private final Counter deadLetters;
    /** Null outside a job (tests): batches then go when full or on flush. */
    private final ProcessingTimeService time;
    private final List<Alert> batch = new ArrayList<>();
    private boolean timerSet;

    /** Outside a job: subtask 0, a counter of its own, no batch timer. */
    WebhookWriter(WebhookSettings settings) {
        this(settings, null, 0, new SimpleCounter());
    }

    WebhookWriter(WebhookSettings settings, ProcessingTimeService time, int subtask, Counter deadLetters) {
        this.settings = settings;
        this.time = time;
        this.deadLetters = deadLetters;
        this.deadLetterFile = new DeadLetters(settings.deadLetters()).file("alerts-webhook", subtask);
        // Secrets are read here, on the TaskManager, and kept only in this writer.
        this.url = settings.url().resolve(KEY);
        this.uri = WebhookSettings.checkUrl(url, KEY, settings.url());
        this.signer = settings.secret() == null ? null : new WebhookSigner(settings.secret().resolve("sinks.alerts[].secret"));
        Timeout timeout = Timeout.of(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableAutomaticRetries() // our own retries, with backoff, counted
                .disableRedirectHandling() // a redirect would re-send the signed body to another host
                .build();
    }

    @Override
    public void write(Alert alert, Context context) throws IOException, InterruptedException {
        batch.add(alert);
        if (batch.size() >= settings.batchSize()) {
            flush(false);
        } else if (time != null && !timerSet) {
            timerSet = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.batchInterval().toMillis(), t -> {
                timerSet = false;
                flush(false);
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        List<Alert> alerts = List.copyOf(batch);
        String refused = send(alerts);
        if (refused != null) {
            if (alerts.size() == 1) {
                deadLetter(alerts.get(0), refused);
            } else {
                // The receiver refused what one (or more) of them holds: find which, deliver the rest.
                for (Alert a : alerts) {
                    String one = send(List.of(a));
                    if (one != null) {
                        deadLetter(a, one);
                    }
                }
            }
        }
        batch.clear();
    }

    private void deadLetter(Alert a, String reason) throws IOException {
        DeadLetters.write(deadLetterFile, a, reason);
        deadLetters.inc();
        LOG.warn("The webhook receiver refused alert {} of rule {} ({}); written to {}", a.alertId(), a.ruleId(), reason,
                deadLetterFile);
    }

    /**
     * Posts {@code alerts} as one body with retries: null when delivered, the receiver's answer when
     * it refuses the content; throws when the receiver keeps failing or refuses the sink itself.
     */
    private String send(List<Alert> alerts) throws IOException, InterruptedException {
        byte[] body = settings.batchSize() == 1 ? WebhookPayloads.body(alerts.get(0), settings.format())
                : WebhookPayloads.batch(alerts, settings.format());
        String key = alerts.size() == 1 && settings.batchSize() == 1 ? alerts.get(0).alertId() : batchKey(alerts);
        String what = alerts.size() == 1 ? "alert " + alerts.get(0).alertId() : "a batch of " + alerts.size() + " alerts";
        for (int attempt = 0; ; attempt++) {
            String failure = post(key, body);
            if (failure == null) {
                return null;
            }
            if (failure.startsWith("?")) {
                return failure.substring(1);
            }
            if (failure.startsWith("!") || attempt >= settings.maxRetries()) {
                throw new IOException("webhook delivery of " + what + " failed after " + (attempt + 1)
                        + " attempt(s): " + (failure.startsWith("!") ? failure.substring(1) : failure));
            }
            long wait = backoffMillis(attempt);
            LOG.warn("Webhook delivery of {} failed ({}); retry {} of {} in {} ms", what, failure,
                    attempt + 1, settings.maxRetries(), wait);
            Thread.sleep(wait);
        }
    }

    /** The same batch gets the same key when it is sent again after a restore. */
    static String batchKey(List<Alert> alerts) {
        StringBuilder ids = new StringBuilder();
        for (Alert a : alerts) {
            ids.append(a.alertId()).append('\n');
        }
        return UUID.nameUUIDFromBytes(ids.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Null when delivered; else why not, starting with '?' when the receiver refuses the content
     * (400, 413, 422) and with '!' when retrying cannot help.
     */
    private String post(String idempotencyKey, byte[] body) {
        HttpPost post = new HttpPost(uri);
        long now = Instant.now().getEpochSecond();
        post.setHeader("Idempotency-Key", idempotencyKey);
        post.setHeader("User-Agent", "fendersec");
        if (signer != null) {
            post.setHeader(WebhookSigner.TIMESTAMP_HEADER, Long.toString(now));
            post.setHeader(WebhookSigner.SIGNATURE_HEADER, signer.sign(now, body));
        }
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        try {
            return http.execute(post, response -> {
                int code = response.getCode();
                EntityUtils.consume(response.getEntity());
                if (code >= 200 && code < 300) {
                    return null;
                }
                boolean retryable = code >= 500 || code == 408 || code == 429;
                boolean content = code == 400 || code == 413 || code == 422;
                return (retryable ? "" : content ? "?" : "!") + "HTTP " + code
                        + (response.getReasonPhrase() == null || response.getReasonPhrase().isBlank() ? ""
                                : " " + response.getReasonPhrase());
            });
        } catch (IOException | RuntimeException e) {
            // No part of the URL in the message: it may be the secret (a Slack webhook URL).
            return (e instanceof IOException ? "" : "!") + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + redact(e.getMessage()));
        }
    }

    /**
     * The message with every piece of the URL a library might quote replaced: the whole URL, its
     * user info, path and query, and its host (messages such as "Connect to http://host:443
     * failed" name it).
     */
    String redact(String message) {
        String out = message;
        for (String piece : new String[] {url, uri.toString(), uri.getRawUserInfo(), uri.getRawPath(), uri.getRawQuery(),
                uri.getRawAuthority(), uri.getHost()}) {
            if (piece != null && piece.length() > 1) {
                out = out.replace(piece, "<url>");
            }
        }
        return out;
    }

    long backoffMillis(int retry) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, settings.initialBackoff().toMillis() << Math.min(retry, 20));
        long half = ceiling / 2;
        return half + (long) (ThreadLocalRandom.current().nextDouble() * (ceiling - half));
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
