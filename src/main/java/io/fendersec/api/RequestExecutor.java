package io.fendersec.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.ConfigException;
import io.fendersec.error.FendersecException;
import io.fendersec.error.NetworkException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical call and returns its parsed body, retrying what is safe to retry: 5xx,
 * connection resets, timeouts (per read, and {@link ResponseDeadline} for the whole answer), bodies
 * cut off before their advertised length, and (a few times)
 * 200 answers whose JSON does not parse; 429 waits for {@code Retry-After}. Every attempt first
 * takes a request from the process-wide {@link RateBudget}. The body is read inside the attempt,
 * so a body that breaks off half-way is a failed attempt, never a short result.
 *
 * <p>Refusals become {@link AccessRefusedException}s through {@link Refusals}; a 401 from the API
 * is handed back as {@link Unauthorized} so the caller can sign in again once. Nothing here logs
 * a request header or body: they hold the bearer token, secrets and assertions.
 */
final class RequestExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestExecutor.class);
    /** A 200 with unreadable JSON is retried this many times at most: it is rarely transient. */
    static final int BAD_JSON_ATTEMPTS = 3;
    private static final long MAX_RETRY_AFTER_MILLIS = 120_000;

    /** Reads a successful answer's body; IOExceptions (cut-off bodies, bad JSON) fail the attempt. */
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /** Which endpoint a call goes to: refusals mean different things at each. */
    enum Endpoint { TOKEN, API }

    /** The API answered 401 to this bearer token. */
    static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ErrorAnswer answer;

        Unauthorized(ErrorAnswer answer) {
            super(answer.summary(), null, false, false);
            this.answer = answer;
        }
    }

    private final CloseableHttpClient http;
    private final ClientSettings settings;
    private final ClientMetrics metrics;
    private final RateBudget budget;
    private final Backoff backoff;
    private final AtomicLong skewMillis = new AtomicLong();
    /** Aborts attempts that outlast source.network.response-timeout; one daemon thread, started on first use. */
    private final ScheduledThreadPoolExecutor deadlines = ResponseDeadline.timer();
    /** For error answers: held to the same limits as every other answer. */
    private final JsonFactory json;

    RequestExecutor(CloseableHttpClient http, ClientSettings settings, ClientMetrics metrics) {
        this.http = http;
        this.settings = settings;
        this.metrics = metrics;
        this.budget = RateBudget.shared(settings.baseUrl().toString(), settings.auth().clientId(),
                settings.requestsPerSecond());
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.json = settings.limits().jsonFactory();
    }

    Duration clockSkew() {
        return Duration.ofMillis(skewMillis.get());
    }

    /**
     * @param request builds the request afresh for each attempt
     * @param uri the URL, for messages (never carries a secret: tokens travel in headers and bodies)
     */
    <T> T execute(Supplier<HttpUriRequestBase> request, URI uri, Endpoint endpoint, BodyReader<T> reader) {
        int failures = 0;
        int badJson = 0;
        String lastProblem = null;
        while (true) {
            waitForBudget();
            HttpUriRequestBase req = request.get();
            String kind;
            long started = System.nanoTime();
            ResponseDeadline deadline = ResponseDeadline.start(deadlines, req, settings.responseTimeout());
            try (ClassicHttpResponse resp = http.executeOpen(null, req, null)) {
                recordSkew(resp);
                int status = resp.getCode();
                HttpEntity entity = resp.getEntity();
                if (status >= 200 && status < 300) {
                    T result;
                    try (InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent()) {
                        result = reader.read(in);
                        // Read to the end: a body cut off after the value still fails here, not silently.
                        in.transferTo(OutputStreamSink.INSTANCE);
                    }
                    LOG.debug("{} {} -> {} in {} ms", req.getMethod(), uri, status,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    return result;
                }
                if (status >= 300 && status < 400) {
                    // Not followed (the credentials stay with source.url) and not retried: it is the
                    // same answer every time. Thrown for the token endpoint too, before its refusals.
                    EntityUtils.consumeQuietly(entity);
                    metrics.apiError("redirect");
                    Header location = resp.getFirstHeader(HttpHeaders.LOCATION);
                    throw new RedirectedException(req.getMethod(), uri, status, location == null ? null : location.getValue());
                }
                ErrorAnswer error = LogJson.error(json, status, entity == null ? null : entity.getContent());
                EntityUtils.consumeQuietly(entity);
                LOG.debug("{} {} -> {}", req.getMethod(), uri, error.summary());
                if (status == 429) {
                    kind = "http-429";
                    metrics.apiError(kind);
                    if (++failures > settings.maxRetries()) {
                        throw exhausted(uri, kind + " (" + error.summary() + ")", failures, null);
                    }
                    long wait = retryAfterMillis(resp, failures - 1);
                    metrics.retry(kind);
                    metrics.rateLimitWait(wait);
                    LOG.info("{} {}: over the request-rate budget (429), waiting {} ms", req.getMethod(), uri, wait);
                    sleep(wait);
                    continue;
                }
                if (status >= 500) {
                    kind = "http-5xx";
                    lastProblem = error.summary();
                } else {
                    throw refusal(status, error, endpoint, uri);
                }
            } catch (FendersecException | Unauthorized e) {
                throw e;
            } catch (StreamConstraintsException e) {
                metrics.apiError("over-limit");
                throw settings.limits().exceeded(uri, e); // the same answer would come again
            } catch (IOException e) {
                if (deadline.expired()) {
                    // Whatever the aborted connection threw (socket closed, a body cut off, a parser's
                    // complaint about the cut), the cause is the deadline: retried like any timeout.
                    kind = "response-timeout";
                    lastProblem = "no complete answer within source.network.response-timeout ("
                            + ResponseDeadline.describe(settings.responseTimeout()) + ")";
                } else if (e instanceof JsonProcessingException) {
                    kind = "bad-json";
                    lastProblem = "a body that is not the expected JSON ("
                            + oneLine(((JsonProcessingException) e).getOriginalMessage()) + ")";
                    if (++badJson >= BAD_JSON_ATTEMPTS) {
                        metrics.apiError(kind);
                        throw new NetworkException("Bugfender answered " + uri + " " + badJson + " times with "
                                + lastProblem + "; giving up", e);
                    }
                } else {
                    kind = classify(e, uri);
                    lastProblem = kind + " (" + e.getClass().getSimpleName() + oneLineSuffix(e.getMessage()) + ")";
                }
            } finally {
                deadline.cancel();
            }
            metrics.apiError(kind);
            if (++failures > settings.maxRetries()) {
                throw exhausted(uri, lastProblem, failures, null);
            }
            long wait = backoff.delayMillis(failures - 1);
            metrics.retry(kind);
            LOG.info("{} {} failed: {}; retry {} of {} in {} ms", req.getMethod(), uri, lastProblem, failures,
                    settings.maxRetries(), wait);
            sleep(wait);
        }
    }

    /** Failures that are not worth retrying are thrown here; the others return their metric kind. */
    private String classify(IOException e, URI uri) {
        if (e instanceof UnknownHostException) {
            throw new NetworkException("cannot resolve the host of " + uri + " (" + e.getMessage() + "): check source.url"
                    + (settings.proxy() != null ? " and source.network.proxy" : ""));
        }
        if (e instanceof BindException) {
            throw new ConfigException("source.network.bind-address: cannot bind outgoing connections to "
                    + settings.bindAddress() + " (" + e.getMessage() + "): it must be an address of this machine");
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            if (e.getMessage() != null && e.getMessage().contains("Cannot assign requested address")) {
                throw new ConfigException("source.network.bind-address: cannot bind outgoing connections to "
                        + settings.bindAddress() + ": it must be an address of this machine");
            }
            throw new NetworkException("cannot connect to " + uri + " (" + oneLine(e.getMessage()) + "): check source.url"
                    + (settings.proxy() != null ? " and source.network.proxy" : "") + " and that the service is up");
        }
        if (e instanceof SSLException) {
            throw new NetworkException("TLS with " + uri + " failed (" + oneLine(e.getMessage()) + "): if the service"
                    + " uses a private certificate authority, set source.network.trust-store");
        }
        if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)
                && Thread.currentThread().isInterrupted()) {
            throw new NetworkException("interrupted while calling " + uri, e);
        }
        if (e instanceof java.net.SocketTimeoutException || e instanceof InterruptedIOException) {
            return "timeout";
        }
        if (e instanceof org.apache.hc.core5.http.ConnectionClosedException || e instanceof EOFException
                || e instanceof org.apache.hc.core5.http.MalformedChunkCodingException) {
            return "truncated";
        }
        if (e instanceof SocketException || e instanceof org.apache.hc.core5.http.NoHttpResponseException) {
            return "reset";
        }
        return "io";
    }

    private FendersecException refusal(int status, ErrorAnswer error, Endpoint endpoint, URI uri) {
        if (endpoint == Endpoint.TOKEN) {
            // The caller knows the grant; it wraps this into a Refusals.token message.
            throw new TokenRefused(error);
        }
        if (status == 401) {
            throw new Unauthorized(error);
        }
        if (status == 403 && error.is("unauthorized_client")) {
            return Refusals.allowlist(error, settings);
        }
        if (status == 403) {
            return new AccessRefusedException("Bugfender refused client '" + settings.auth().clientId() + "' access to "
                    + uri.getPath() + " (" + error.summary() + "): check source.apps and the account's permissions");
        }
        if (status == 404) {
            return new ConfigException("source.apps: Bugfender does not know " + uri.getPath() + " (" + error.summary()
                    + "); check the app ids with `fendersec check`");
        }
        if (status == 400) {
            return new ConfigException("source: Bugfender rejected the parameters of " + uri + " (" + error.summary() + ")");
        }
        return new NetworkException("Bugfender answered " + uri + " with " + error.summary());
    }

    /** A refusal at the token endpoint, turned into a message by the caller that knows the grant. */
    static final class TokenRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ErrorAnswer answer;

        TokenRefused(ErrorAnswer answer) {
            super(answer.summary(), null, false, false);
            this.answer = answer;
        }
    }

    private NetworkException exhausted(URI uri, String problem, int attempts, Throwable cause) {
        return new NetworkException("Bugfender kept failing for " + uri + ": " + problem + " (" + attempts
                + " attempts); check the service's status or raise source.network.max-retries", cause);
    }

    private long retryAfterMillis(ClassicHttpResponse resp, int retry) {
        Header h = resp.getFirstHeader(HttpHeaders.RETRY_AFTER);
        if (h != null && h.getValue() != null) {
            String v = h.getValue().trim();
            try {
                return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, (long) (Double.parseDouble(v) * 1000)));
            } catch (NumberFormatException e) {
                Instant at = DateUtils.parseStandardDate(v);
                if (at != null) {
                    return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, at.toEpochMilli() - System.currentTimeMillis()));
                }
            }
        }
        return backoff.delayMillis(retry);
    }

    private void recordSkew(ClassicHttpResponse resp) {
        Header date = resp.getFirstHeader(HttpHeaders.DATE);
        if (date != null) {
            Instant server = DateUtils.parseStandardDate(date.getValue());
            if (server != null) {
                // Date has whole seconds, truncated: the server's clock was on average half a second later.
                skewMillis.set(server.toEpochMilli() + 500 - System.currentTimeMillis());
            }
        }
    }

    private void waitForBudget() {
        try {
            long waited = budget.acquire();
            if (waited > 0) {
                metrics.rateLimitWait(waited);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkException("interrupted while waiting for the request-rate budget", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkException("interrupted while waiting to retry", e);
        }
    }

    private static String oneLine(String s) {
        // A parser's message quotes the server's bytes: no control character may reach a terminal.
        return s == null ? "" : io.fendersec.error.TerminalText.line(s.replaceAll("[\\r\\n]+", " "));
    }

    private static String oneLineSuffix(String s) {
        return s == null || s.isEmpty() ? "" : ": " + oneLine(s);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("closing the HTTP client failed", e);
        }
    }

    /** Discards what is left of a body after its value was parsed. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
