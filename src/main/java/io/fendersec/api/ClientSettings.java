package io.fendersec.api;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;

/**
 * Everything needed to build a {@link BugfenderApi}: where the service is, how to sign in, how to
 * reach it (bind address, proxy, trust store), and how patient to be. Holds no secret, only
 * references, so it can travel inside a Flink job graph.
 */
public final class ClientSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final URI baseUrl;
    private final AuthSettings auth;
    private final String bindAddress;
    private final URI proxy;
    private final String trustStore;
    private final SecretRef trustStorePassword;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration responseTimeout;
    private final int maxRetries;
    private final double requestsPerSecond;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ResponseLimits limits;

    private ClientSettings(Builder b) {
        this.baseUrl = b.baseUrl;
        this.auth = b.auth;
        this.bindAddress = b.bindAddress;
        this.proxy = b.proxy;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.responseTimeout = b.responseTimeout;
        this.maxRetries = b.maxRetries;
        this.requestsPerSecond = b.requestsPerSecond;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.limits = b.limits;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL without a trailing slash, e.g. {@code https://dashboard.bugfender.com}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code <base>/auth/token}: the endpoint, and the {@code aud} of client assertions. */
    public URI tokenUrl() {
        return URI.create(baseUrl + "/auth/token");
    }

    public AuthSettings auth() {
        return auth;
    }

    /** The local address outgoing connections use (for an address allowlist), or null. */
    public String bindAddress() {
        return bindAddress;
    }

    /** HTTP(S) proxy, or null. */
    public URI proxy() {
        return proxy;
    }

    /** A PKCS#12 or JKS trust store for a private CA, or null for the JVM's default. */
    public String trustStore() {
        return trustStore;
    }

    public SecretRef trustStorePassword() {
        return trustStorePassword;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * The longest one attempt may take from sending the request to the last byte of the answer
     * ({@code source.network.response-timeout}). The read timeout bounds each wait for a byte; a
     * server that trickles one byte every few seconds passes it forever, this deadline does not.
     */
    public Duration responseTimeout() {
        // null: serialized before the field existed
        return responseTimeout == null ? Builder.DEFAULT_RESPONSE_TIMEOUT : responseTimeout;
    }

    /** Retries of one call after transient failures, before giving up. */
    public int maxRetries() {
        return maxRetries;
    }

    /** The request-rate budget shared by all readers of one process. */
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /** The first retry waits about this long; each further one twice as long, up to {@link #maxBackoff}. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** How much the client accepts from the server ({@code source.limits}). */
    public ResponseLimits limits() {
        return limits == null ? ResponseLimits.DEFAULTS : limits; // null: serialized before the field existed
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseUrl = baseUrl;
        b.auth = auth;
        b.bindAddress = bindAddress;
        b.proxy = proxy;
        b.trustStore = trustStore;
        b.trustStorePassword = trustStorePassword;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.responseTimeout = responseTimeout();
        b.maxRetries = maxRetries;
        b.requestsPerSecond = requestsPerSecond;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.limits = limits();
        return b;
    }

    @Override
    public String toString() {
        return "ClientSettings{url=" + baseUrl + ", auth=" + auth
                + (bindAddress != null ? ", bindAddress=" + bindAddress : "")
                + (proxy != null ? ", proxy=" + proxy : "")
                + (trustStore != null ? ", trustStore=" + trustStore : "")
                + ", requestsPerSecond=" + requestsPerSecond
                + (limits().equals(ResponseLimits.DEFAULTS) ? "" : ", limits=" + limits) + "}";
    }

    /** {@code scheme://user:password@}: the authority's user info, up to the last '@' before the path. */
    private static final java.util.regex.Pattern USER_INFO =
            java.util.regex.Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@");

    /** The URL with its user info replaced by {@code ***}, for messages. */
    static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst(m -> java.util.regex.Matcher.quoteReplacement(
                m.group().substring(0, m.group().indexOf("://") + 3) + "***@"));
    }

    /** Validates eagerly: errors name the job-spec key under {@code source}. */
    public static final class Builder {
        /**
         * A page is at most {@code source.limits.max-page-bytes} (64 MiB): even at 1 MB/s it comes
         * within about a minute; five leave room for a slow link without letting a stall hold a
         * reader for long.
         */
        public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(5);

        private URI baseUrl;
        private AuthSettings auth;
        private String bindAddress;
        private URI proxy;
        private String trustStore;
        private SecretRef trustStorePassword;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private int maxRetries = 8;
        private double requestsPerSecond = 50;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(15);
        private ResponseLimits limits = ResponseLimits.DEFAULTS;

        public Builder baseUrl(String url) {
            Objects.requireNonNull(url);
            if (USER_INFO.matcher(url).find()) {
                // Refused before anything else reads the URL: it would otherwise reach every retry line.
                throw new ConfigException("source.url: must not carry a user name or password (" + withoutUserInfo(url)
                        + "); Bugfender signs in with source.auth: remove the part before '@'");
            }
            URI u;
            try {
                u = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("source.url: expected an http(s) URL such as https://dashboard.bugfender.com, got "
                        + url);
            }
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new ConfigException("source.url: expected an http(s) URL such as https://dashboard.bugfender.com, got "
                        + url);
            }
            String s = u.toString();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            this.baseUrl = URI.create(s);
            return this;
        }

        public Builder auth(AuthSettings auth) {
            this.auth = auth;
            return this;
        }

        /**
         * An IP literal of this machine. Host names are refused: the allowlist is about addresses,
         * and a name could resolve differently on each TaskManager.
         */
        public Builder bindAddress(String address) {
            if (address == null || address.isBlank()) {
                this.bindAddress = null;
                return this;
            }
            String a = address.trim();
            boolean literal = a.matches("\\d{1,3}(\\.\\d{1,3}){3}") || a.matches("[0-9A-Fa-f:.%a-z0-9]*:[0-9A-Fa-f:.%a-z0-9]*");
            try {
                if (!literal) {
                    throw new java.net.UnknownHostException(a);
                }
                java.net.InetAddress.getByName(a); // a literal: parsed, never looked up
            } catch (java.net.UnknownHostException e) {
                throw new ConfigException("source.network.bind-address: expected an IP address of this machine such as"
                        + " 127.0.0.2 or 10.0.0.5, got " + address);
            }
            this.bindAddress = a;
            return this;
        }

        public Builder proxy(String proxy) {
            if (proxy == null) {
                this.proxy = null;
                return this;
            }
            URI u;
            try {
                u = URI.create(proxy.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("source.network.proxy: expected http://HOST:PORT, got " + proxy);
            }
            if (u.getUserInfo() != null) {
                throw new ConfigException("source.network.proxy: credentials in the proxy URL are not supported");
            }
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null || u.getPort() < 0) {
                throw new ConfigException("source.network.proxy: expected http://HOST:PORT, got " + proxy);
            }
            this.proxy = u;
            return this;
        }

        public Builder trustStore(String path, SecretRef password) {
            this.trustStore = path;
            this.trustStorePassword = password;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "source.network.connect-timeout");
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = positive(d, "source.network.read-timeout");
            return this;
        }

        /** The whole-answer deadline of one attempt ({@code source.network.response-timeout}). */
        public Builder responseTimeout(Duration d) {
            this.responseTimeout = positive(d, "source.network.response-timeout");
            return this;
        }

        public Builder maxRetries(int n) {
            if (n < 0) {
                throw new ConfigException("source.network.max-retries: expected 0 or more, got " + n);
            }
            this.maxRetries = n;
            return this;
        }

        public Builder requestsPerSecond(double rps) {
            if (!(rps > 0)) {
                throw new ConfigException("source.network.requests-per-second: expected a number above 0, got " + rps);
            }
            this.requestsPerSecond = rps;
            return this;
        }

        /** Size and depth limits on the server's answers ({@code source.limits}). */
        public Builder limits(ResponseLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Exponential backoff between retries (with jitter): first wait, and the cap. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "source.network.initial-backoff");
            this.maxBackoff = positive(max, "source.network.max-backoff");
            if (max.compareTo(initial) < 0) {
                throw new ConfigException("source.network.max-backoff: must not be shorter than the initial backoff "
                        + initial);
            }
            return this;
        }

        private static Duration positive(Duration d, String key) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigException(key + ": expected a positive duration such as 10s, got " + d);
            }
            return d;
        }

        public ClientSettings build() {
            if (baseUrl == null) {
                throw new ConfigException("source.url: expected the Bugfender base URL, e.g. https://dashboard.bugfender.com");
            }
            if (auth == null) {
                throw new ConfigException("source.auth: expected a section with method and client-id");
            }
            return new ClientSettings(this);
        }
    }
}
