package io.fendersec.auth;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import io.fendersec.error.ConfigException;

/**
 * How the client signs in: which method, the client id, and where the secrets are (never the
 * secrets themselves: a key file path, {@link SecretRef}s). Serializable into a job graph.
 */
public final class AuthSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** RFC 7523 allows any lifetime; Bugfender accepts at most two minutes. */
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofSeconds(120);
    public static final Duration DEFAULT_ASSERTION_LIFETIME = Duration.ofSeconds(60);

    /** The sign-in methods, named as in job specs. */
    public enum Method {
        JWT("jwt"), CLIENT_SECRET("client-secret"), REFRESH_TOKEN("refresh-token");

        private final String specName;

        Method(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }
    }

    private final Method method;
    private final String clientId;
    private final String privateKeyFile;
    private final Duration assertionLifetime;
    private final SecretRef clientSecret;
    private final String refreshTokenFile;

    private AuthSettings(Builder b) {
        this.method = b.method;
        this.clientId = b.clientId;
        this.privateKeyFile = b.privateKeyFile;
        this.assertionLifetime = b.assertionLifetime;
        this.clientSecret = b.clientSecret;
        this.refreshTokenFile = b.refreshTokenFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Method method() {
        return method;
    }

    public String clientId() {
        return clientId;
    }

    /** PEM file of the RSA private key (jwt); read where a token is requested. */
    public String privateKeyFile() {
        return privateKeyFile;
    }

    public Duration assertionLifetime() {
        return assertionLifetime;
    }

    /** client-secret and refresh-token. */
    public SecretRef clientSecret() {
        return clientSecret;
    }

    /** refresh-token: where the newest refresh token is kept (rotated atomically). */
    public String refreshTokenFile() {
        return refreshTokenFile;
    }

    @Override
    public String toString() {
        return "AuthSettings{method=" + method.specName() + ", clientId=" + clientId
                + (privateKeyFile != null ? ", privateKeyFile=" + privateKeyFile : "")
                + (clientSecret != null ? ", clientSecret=" + clientSecret : "")
                + (refreshTokenFile != null ? ", refreshTokenFile=" + refreshTokenFile : "") + "}";
    }

    /** Validates eagerly: each error names the job-spec key under {@code source.auth}. */
    public static final class Builder {
        private Method method = Method.JWT;
        private String clientId;
        private String privateKeyFile;
        private Duration assertionLifetime = DEFAULT_ASSERTION_LIFETIME;
        private SecretRef clientSecret;
        private String refreshTokenFile;

        public Builder method(Method method) {
            this.method = Objects.requireNonNull(method);
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder privateKeyFile(String path) {
            this.privateKeyFile = path;
            return this;
        }

        public Builder assertionLifetime(Duration lifetime) {
            if (lifetime == null || lifetime.isNegative() || lifetime.isZero()
                    || lifetime.compareTo(MAX_ASSERTION_LIFETIME) > 0) {
                throw new ConfigException("source.auth.assertion-lifetime: expected a duration above 0s and at most 120s,"
                        + " got " + lifetime);
            }
            this.assertionLifetime = lifetime;
            return this;
        }

        public Builder clientSecret(SecretRef secret) {
            this.clientSecret = secret;
            return this;
        }

        public Builder refreshTokenFile(String path) {
            this.refreshTokenFile = path;
            return this;
        }

        public AuthSettings build() {
            if (clientId == null || clientId.isBlank()) {
                throw new ConfigException("source.auth.client-id: expected the service account's or integration's client id");
            }
            switch (method) {
                case JWT:
                    if (privateKeyFile == null || privateKeyFile.isBlank()) {
                        throw new ConfigException("source.auth.private-key: expected the path of a PEM RSA private key"
                                + " (method jwt)");
                    }
                    break;
                case CLIENT_SECRET:
                    if (clientSecret == null) {
                        throw new ConfigException("source.auth.client-secret: expected ${env:NAME} or ${file:PATH}"
                                + " (method client-secret)");
                    }
                    break;
                case REFRESH_TOKEN:
                    if (clientSecret == null) {
                        throw new ConfigException("source.auth.client-secret: expected ${env:NAME} or ${file:PATH}"
                                + " (method refresh-token)");
                    }
                    if (refreshTokenFile == null || refreshTokenFile.isBlank()) {
                        throw new ConfigException("source.auth.refresh-token-file: expected a file path (method refresh-token);"
                                + " create it with `fendersec login JOB.yaml`");
                    }
                    break;
                default:
                    throw new AssertionError(method);
            }
            return new AuthSettings(this);
        }
    }
}
