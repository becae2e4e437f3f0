package io.fendersec.sink;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.connector.sink2.SinkWriter;
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
 * Posts each alert as it arrives and returns only once the receiver took it (2xx). Nothing is
 * buffered, so when a checkpoint barrier passes this writer every earlier alert has been
 * delivered; {@link #flush} has nothing left to do. Alerts are rare, so the blocking send costs
 * little, and it gives back-pressure instead of an unbounded queue when the receiver is slow.
 *
 * <p>5xx, 408, 429 and connection errors are retried with exponential backoff (equal jitter,
 * capped at 30 s); when the retries run out, or on another 4xx (a wrong URL or secret, which
 * retrying cannot fix), the write fails and with it the job, which restarts from the last
 * checkpoint and sends again: nothing is dropped silently.
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

    WebhookWriter(WebhookSettings settings) {
        this.settings = settings;
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
        byte[] body = WebhookPayloads.body(alert, settings.format());
        for (int attempt = 0; ; attempt++) {
            String failure = post(alert.alertId(), body);
            if (failure == null) {
                return;
            }
            if (failure.startsWith("!") || attempt >= settings.maxRetries()) {
                throw new IOException("webhook delivery of alert " + alert.alertId() + " failed after " + (attempt + 1)
                        + " attempt(s): " + (failure.startsWith("!") ? failure.substring(1) : failure));
            }
            long wait = backoffMillis(attempt);
            LOG.warn("Webhook delivery of alert {} failed ({}); retry {} of {} in {} ms", alert.alertId(), failure,
                    attempt + 1, settings.maxRetries(), wait);
            Thread.sleep(wait);
        }
    }

    /** Null when delivered; else why not, starting with '!' when retrying cannot help. */
    private String post(String alertId, byte[] body) {
        HttpPost post = new HttpPost(uri);
        long now = Instant.now().getEpochSecond();
        post.setHeader("Idempotency-Key", alertId);
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
                return (retryable ? "" : "!") + "HTTP " + code + " " + response.getReasonPhrase();
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
    public void flush(boolean endOfInput) {
        // Every alert written so far was delivered in write(); see the class comment.
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
