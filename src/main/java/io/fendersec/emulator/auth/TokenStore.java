package io.fendersec.emulator.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Issued credentials: access tokens with their expiry, single-use authorization codes, and
 * refresh tokens of which only the newest of each chain is valid.
 */
public final class TokenStore {
    /** Authorization codes are exchanged right after the redirect; a minute is plenty. */
    static final Duration CODE_TTL = Duration.ofSeconds(60);

    private final Clock clock;
    private volatile Duration accessTokenTtl;
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    private final Map<String, AuthorizationCode> codes = new HashMap<>();
    private final Map<String, Grant> refreshTokens = new HashMap<>();
    private long refreshTokensRedeemed;

    /** An issued access token: whose, valid until when. */
    public static final class AccessToken {
        final String token;
        final ClientAccount client;
        final String user;
        final Instant expiresAt;

        AccessToken(String token, ClientAccount client, String user, Instant expiresAt) {
            this.token = token;
            this.client = client;
            this.user = user;
            this.expiresAt = expiresAt;
        }

        public String token() {
            return token;
        }

        public ClientAccount client() {
            return client;
        }

        public Instant expiresAt() {
            return expiresAt;
        }
    }

    static final class AuthorizationCode {
        final String clientId;
        final String redirectUri;
        final String user;
        final Instant expiresAt;

        AuthorizationCode(String clientId, String redirectUri, String user, Instant expiresAt) {
            this.clientId = clientId;
            this.redirectUri = redirectUri;
            this.user = user;
            this.expiresAt = expiresAt;
        }
    }

    static final class Grant {
        final String clientId;
        final String user;

        Grant(String clientId, String user) {
            this.clientId = clientId;
            this.user = user;
        }
    }

    public TokenStore(Clock clock, Duration accessTokenTtl) {
        this.clock = clock;
        this.accessTokenTtl = accessTokenTtl;
    }

    public void setAccessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    public Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    public synchronized AccessToken issueAccessToken(ClientAccount client, String user) {
        Instant now = clock.instant();
        accessTokens.values().removeIf(t -> !t.expiresAt.isAfter(now));
        // Saturated: a test may advertise an absurd lifetime (expires_in near Long.MAX_VALUE).
        Instant expiresAt = accessTokenTtl.compareTo(Duration.between(now, Instant.MAX)) >= 0 ? Instant.MAX
                : now.plus(accessTokenTtl);
        AccessToken t = new AccessToken(UUID.randomUUID().toString(), client, user, expiresAt);
        accessTokens.put(t.token, t);
        return t;
    }

    /** The valid (known, unexpired) access token, if it is one. */
    public synchronized Optional<AccessToken> validAccessToken(String token) {
        AccessToken t = accessTokens.get(token);
        if (t == null || !t.expiresAt.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(t);
    }

    synchronized String issueCode(String clientId, String redirectUri, String user) {
        Instant now = clock.instant();
        // Codes nobody redeems would otherwise stay forever: drop the expired ones as new ones are made.
        codes.values().removeIf(c -> !c.expiresAt.isAfter(now));
        String code = UUID.randomUUID().toString().replace("-", "");
        codes.put(code, new AuthorizationCode(clientId, redirectUri, user, now.plus(CODE_TTL)));
        return code;
    }

    synchronized int codesHeld() {
        return codes.size();
    }

    /**
     * Spends a code (it works once) for the client it was issued to and the redirect URI it was
     * issued for. A code presented by another client, or with another redirect URI, is refused
     * and stays valid for its own client: a mistaken or hostile caller cannot burn it.
     */
    synchronized AuthorizationCode redeemCode(String code, String clientId, String redirectUri) {
        AuthorizationCode c = code == null ? null : codes.get(code);
        if (c == null || !c.expiresAt.isAfter(clock.instant())) {
            if (c != null) {
                codes.remove(code);
            }
            throw OAuthError.invalidGrant("code is unknown, expired or already used");
        }
        if (!c.clientId.equals(clientId)) {
            throw OAuthError.invalidGrant("code was issued to another client");
        }
        if (!c.redirectUri.equals(redirectUri)) {
            throw OAuthError.invalidGrant("redirect_uri does not match the one the code was issued for");
        }
        codes.remove(code);
        return c;
    }

    synchronized String issueRefreshToken(String clientId, String user) {
        String token = UUID.randomUUID().toString();
        refreshTokens.put(token, new Grant(clientId, user));
        return token;
    }

    /** Retires a refresh token (rotation: each one works once); empty when unknown or retired. */
    synchronized Optional<Grant> redeemRefreshToken(String token, String clientId) {
        Grant g = token == null ? null : refreshTokens.get(token);
        if (g == null || !g.clientId.equals(clientId)) {
            return Optional.empty();
        }
        refreshTokens.remove(token);
        refreshTokensRedeemed++;
        return Optional.of(g);
    }

    /** Successful refresh grants so far. */
    public synchronized long refreshTokensRedeemed() {
        return refreshTokensRedeemed;
    }
}
