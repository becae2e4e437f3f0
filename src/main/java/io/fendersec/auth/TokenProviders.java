package io.fendersec.auth;

import java.nio.file.Path;
import java.time.Clock;

/** Picks the {@link TokenProvider} for the configured sign-in method. */
public final class TokenProviders {
    private TokenProviders() {}

    /**
     * @param assertionClock the clock for JWT {@code iat}/{@code exp}; the API client passes one
     *     corrected by the server's observed skew
     */
    public static TokenProvider create(AuthSettings auth, java.net.URI tokenUrl, TokenEndpoint endpoint,
            Clock assertionClock) {
        switch (auth.method()) {
            case JWT:
                // Loaded here, eagerly, so that a bad key fails at start with a clear message.
                return new JwtAssertionTokenProvider(auth.clientId(),
                        new ClientAssertion(auth.clientId(), tokenUrl, PrivateKeyFile.load(Path.of(auth.privateKeyFile())),
                                auth.assertionLifetime(), assertionClock),
                        endpoint);
            case CLIENT_SECRET:
                return new ClientSecretTokenProvider(auth.clientId(), auth.clientSecret(), endpoint);
            case REFRESH_TOKEN:
                return new RefreshTokenProvider(auth.clientId(), auth.clientSecret(),
                        new FileRefreshTokenStore(Path.of(auth.refreshTokenFile())), endpoint);
            default:
                throw new AssertionError(auth.method());
        }
    }
}
