package io.fendersec.api;

import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.fendersec.auth.TokenCache;
import io.fendersec.auth.TokenEndpoint;
import io.fendersec.auth.TokenProvider;
import io.fendersec.auth.TokenProviders;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.NetworkException;
import io.fendersec.model.LogRecord;

import com.fasterxml.jackson.core.JsonFactory;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BugfenderApi} over HTTP (Apache HttpClient 5). One instance per process is meant to
 * be shared: it holds the connection pool and the token cache. Each call takes a token from the
 * cache; a 401 invalidates that token, signs in again once and repeats the call once.
 */
public final class HttpBugfenderApi implements BugfenderApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpBugfenderApi.class);

    private final ClientSettings settings;
    private final ClientMetrics metrics;
    private final ApiUrls urls;
    private final RequestExecutor executor;
    private final HttpTokenEndpoint tokenEndpoint;
    private final TokenCache tokens;
    /** Parsers held to {@code source.limits}. */
    private final JsonFactory json;

    private HttpBugfenderApi(ClientSettings settings, ClientMetrics metrics, TokenProviderFactory providers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = metrics == null ? ClientMetrics.NONE : metrics;
        this.urls = new ApiUrls(settings.baseUrl());
        this.json = settings.limits().jsonFactory();
        this.executor = new RequestExecutor(HttpClientFactory.create(settings), settings, this.metrics);
        this.tokenEndpoint = new HttpTokenEndpoint(executor, settings);
        TokenProvider provider;
        try {
            provider = providers.create(settings, tokenEndpoint, new SkewCorrectedClock(executor));
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
        this.tokens = new TokenCache(provider, Clock.systemUTC(), this.metrics::tokenRefreshed);
    }

    /**
     * A client for {@code settings}. Fails fast with a {@link io.fendersec.error.ConfigException}
     * for settings that cannot work (a bad key file, a bad trust store); it does not sign in yet.
     */
    public static HttpBugfenderApi create(ClientSettings settings, ClientMetrics metrics) {
        return new HttpBugfenderApi(settings, metrics,
                (s, endpoint, clock) -> TokenProviders.create(s.auth(), s.tokenUrl(), endpoint, clock));
    }

    /** For tests: a client whose tokens come from a provider built around the real token endpoint. */
    static HttpBugfenderApi create(ClientSettings settings, ClientMetrics metrics, TokenProviderFactory providers) {
        return new HttpBugfenderApi(settings, metrics, providers);
    }

    /** Builds the token provider once the HTTP side exists. */
    interface TokenProviderFactory {
        TokenProvider create(ClientSettings settings, TokenEndpoint endpoint, Clock assertionClock);
    }

    /** The token endpoint over this client's egress: for {@code fendersec login}. */
    TokenEndpoint tokenEndpoint() {
        return tokenEndpoint;
    }

    /**
     * {@code fendersec login}: exchanges an authorization code of the integration for its first
     * refresh token, saved atomically to {@code source.auth.refresh-token-file} before this returns.
     */
    public void exchangeAuthorizationCode(String code) {
        if (settings.auth().method() != io.fendersec.auth.AuthSettings.Method.REFRESH_TOKEN) {
            throw new io.fendersec.error.ConfigException("source.auth.method: login needs method refresh-token (an"
                    + " integration), not " + settings.auth().method().specName());
        }
        io.fendersec.auth.AuthorizationCode.exchange(code, settings.auth().clientId(), settings.auth().clientSecret(),
                new io.fendersec.auth.FileRefreshTokenStore(java.nio.file.Path.of(settings.auth().refreshTokenFile())),
                tokenEndpoint);
    }

    /** The URL the user opens to approve the integration and see the code. */
    public static URI authorizeUrl(ClientSettings settings) {
        return io.fendersec.auth.AuthorizationCode.authorizeUrl(settings.baseUrl(), settings.auth().clientId());
    }

    /** Signs in now (or reuses a valid token): {@code check} uses it to report sign-in separately. */
    public void signIn() {
        tokens.accessToken();
    }

    @Override
    public List<App> apps() {
        URI uri = urls.apps();
        return authorized(uri, body -> LogJson.apps(json, body));
    }

    @Override
    public LogPage firstPage(LogQuery query) {
        return fetchPage(urls.paginated(query));
    }

    @Override
    public LogPage fixSnapshot(LogQuery query) {
        URI uri = urls.paginated(query);
        String url = uri.toString();
        LogPage page = authorized(uri, body -> LogJson.pageLinks(json, url, body));
        metrics.pageFetched(page.size());
        return page;
    }

    @Override
    public LogPage page(String url) {
        return fetchPage(urls.cursor(url));
    }

    private LogPage fetchPage(URI uri) {
        String url = uri.toString();
        LogPage page = authorized(uri, body -> LogJson.page(json, url, body));
        metrics.pageFetched(page.records().size());
        return page;
    }

    @Override
    public long count(LogQuery query) {
        return authorized(urls.count(query), body -> LogJson.count(json, body));
    }

    @Override
    public void download(LogQuery query, Consumer<LogRecord> consumer) {
        URI uri = urls.download(query);
        authorized(uri, new NdjsonReader(uri, consumer, json, settings.limits()));
    }

    @Override
    public io.fendersec.auth.TokenResponse leaseAccessToken(String stale) {
        return tokens.lease(stale);
    }

    @Override
    public Duration clockSkew() {
        return executor.clockSkew();
    }

    @Override
    public void close() {
        executor.close();
    }

    private <T> T authorized(URI uri, RequestExecutor.BodyReader<T> reader) {
        // Each attempt takes the cached token anew: retries after 5xx answers, resets and 429 waits
        // can outlast a short-lived token, which the cache then renews before it is sent again.
        AtomicReference<String> used = new AtomicReference<>();
        Supplier<HttpUriRequestBase> request = () -> {
            String token = tokens.accessToken();
            used.set(token);
            return get(uri, token);
        };
        try {
            return executor.execute(request, uri, RequestExecutor.Endpoint.API, reader);
        } catch (RequestExecutor.Unauthorized first) {
            // The token expired early, was revoked, or the server restarted: sign in again, once.
            metrics.apiError("http-401");
            LOG.debug("{} answered 401 ({}); signing in again", uri, first.answer.summary());
            tokens.invalidate(used.get());
            try {
                return executor.execute(request, uri, RequestExecutor.Endpoint.API, reader);
            } catch (RequestExecutor.Unauthorized second) {
                throw new AccessRefusedException("Bugfender rejected a newly issued access token of client '"
                        + settings.auth().clientId() + "' for " + uri.getPath() + " (" + second.answer.summary()
                        + "): check the client's permissions for this app");
            }
        }
    }

    private static HttpUriRequestBase get(URI uri, String token) {
        HttpGet get = new HttpGet(uri);
        get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        get.setHeader(HttpHeaders.ACCEPT, "application/json, application/x-ndjson");
        return get;
    }

    /**
     * Streams NDJSON line by line into the consumer. A download that breaks off is retried by the
     * executor; the new attempt skips the lines already delivered, after checking that the last of
     * them is the same log as before, so that a retry never delivers a log twice or shifts silently.
     */
    private static final class NdjsonReader implements RequestExecutor.BodyReader<Void> {
        private final URI uri;
        private final Consumer<LogRecord> consumer;
        private final JsonFactory json;
        private final ResponseLimits limits;
        private long delivered;
        private String lastUuid;

        NdjsonReader(URI uri, Consumer<LogRecord> consumer, JsonFactory json, ResponseLimits limits) {
            this.uri = uri;
            this.consumer = consumer;
            this.json = json;
            this.limits = limits;
        }

        @Override
        public Void read(java.io.InputStream body) throws IOException {
            NdjsonLines lines = new NdjsonLines(body, limits, uri);
            long seen = 0;
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                LogRecord r = LogJson.recordLine(json, lines.bytes(), 0, lines.length());
                seen++;
                if (seen < delivered) {
                    continue;
                }
                if (seen == delivered) {
                    if (!Objects.equals(r.uuid(), lastUuid)) {
                        throw new NetworkException("the download of " + uri + " broke off and its repetition differs from"
                                + " the first attempt (log " + delivered + " is " + r.uuid() + ", was " + lastUuid
                                + "); read the range again");
                    }
                    continue;
                }
                consumer.accept(r);
                delivered = seen;
                lastUuid = r.uuid();
            }
            return null;
        }
    }

    /** The local clock moved by the server's observed skew, when it is more than the Date header's resolution. */
    private static final class SkewCorrectedClock extends Clock {
        private final RequestExecutor executor;

        SkewCorrectedClock(RequestExecutor executor) {
            this.executor = executor;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Duration skew = executor.clockSkew();
            Instant now = Instant.now();
            return skew.abs().compareTo(Duration.ofSeconds(2)) < 0 ? now : now.plus(skew);
        }
    }

    @Override
    public String toString() {
        return "HttpBugfenderApi{" + settings + "}";
    }
}
