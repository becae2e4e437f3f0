package io.fendersec.auth;

import java.net.URI;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import io.jsonwebtoken.Jwts;

/**
 * Signs RFC 7523 client assertions (RS256) for one service account: {@code iss} = {@code sub} =
 * the client id, {@code aud} = the token URL, {@code iat}, {@code exp} = {@code iat} + lifetime,
 * {@code nbf} = {@code iat}, and a random {@code jti}. Every call makes a new assertion: a server
 * rejects a reused {@code jti}, and a short-lived assertion that is never stored cannot leak later.
 *
 * <p>The clock may be corrected by the server's observed clock skew (see the API client), so that
 * a local clock a little off does not make the server see an assertion from the future.
 */
public final class ClientAssertion {
    public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final String clientId;
    private final String audience;
    private final RSAPrivateKey key;
    private final Duration lifetime;
    private final Clock clock;

    public ClientAssertion(String clientId, URI tokenUrl, RSAPrivateKey key, Duration lifetime, Clock clock) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.audience = tokenUrl.toString();
        this.key = Objects.requireNonNull(key, "key");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(AuthSettings.MAX_ASSERTION_LIFETIME) > 0) {
            throw new IllegalArgumentException("assertion lifetime must be in (0s, 120s], got " + lifetime);
        }
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new signed assertion. It is a credential: never log it. */
    public String create() {
        // JWT times are whole seconds; truncate so that exp - iat is exactly the lifetime.
        Instant iat = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        return Jwts.builder()
                .issuer(clientId)
                .subject(clientId)
                .audience().single(audience)
                .issuedAt(Date.from(iat))
                .notBefore(Date.from(iat))
                .expiration(Date.from(iat.plus(lifetime)))
                .id(UUID.randomUUID().toString())
                .signWith(key, Jwts.SIG.RS256)
                .compact();
    }

    @Override
    public String toString() {
        return "ClientAssertion{clientId=" + clientId + ", aud=" + audience + ", lifetime=" + lifetime + "}";
    }
}
