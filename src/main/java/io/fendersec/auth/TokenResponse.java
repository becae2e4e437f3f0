package io.fendersec.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * A successful answer of the token endpoint: the access token, how long it lives, and the refresh
 * token when the grant issues one. Both tokens are credentials: {@link #toString} shows neither.
 */
public final class TokenResponse {
    private final String accessToken;
    private final Duration expiresIn;
    private final String refreshToken;

    public TokenResponse(String accessToken, Duration expiresIn, String refreshToken) {
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IllegalArgumentException("the token endpoint's answer has no access_token");
        }
        this.accessToken = accessToken;
        this.expiresIn = Objects.requireNonNull(expiresIn, "expiresIn");
        this.refreshToken = refreshToken == null || refreshToken.isEmpty() ? null : refreshToken;
    }

    public String accessToken() {
        return accessToken;
    }

    public Duration expiresIn() {
        return expiresIn;
    }

    /** The new refresh token, or null when the grant issued none. */
    public String refreshToken() {
        return refreshToken;
    }

    @Override
    public String toString() {
        return "TokenResponse{accessToken=<redacted>, expiresIn=" + expiresIn
                + (refreshToken != null ? ", refreshToken=<redacted>" : "") + "}";
    }
}
