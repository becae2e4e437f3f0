package io.fendersec.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refresh-token grant with rotation. When the answer carries a new refresh token, the old one
 * is retired at the server, so the new one is saved durably <em>before</em> the access token is
 * handed out: if saving fails, nothing is used and the error surfaces; if the process dies after
 * the save, the next run reads the new token. (A crash between the server's answer and the end of
 * the save leaves the old token on disk, whole: the one window no client can close; the user then
 * runs {@code fendersec login} again.)
 */
public final class RefreshTokenProvider implements TokenProvider {
    public static final String OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob";

    private final String clientId;
    private final SecretRef secret;
    private final RefreshTokenStore store;
    private final TokenEndpoint endpoint;

    public RefreshTokenProvider(String clientId, SecretRef secret, RefreshTokenStore store, TokenEndpoint endpoint) {
        this.clientId = clientId;
        this.secret = secret;
        this.store = store;
        this.endpoint = endpoint;
    }

    @Override
    public TokenResponse fetch() {
        String current = store.read();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", current);
        form.put("redirect_uri", OOB_REDIRECT);
        form.put("client_id", clientId);
        form.put("client_secret", secret.resolve("source.auth.client-secret"));
        TokenResponse answer = endpoint.request(() -> form, "refresh_token");
        if (answer.refreshToken() != null && !answer.refreshToken().equals(current)) {
            store.save(answer.refreshToken());
        }
        return answer;
    }

    @Override
    public String describe() {
        return "refresh token (" + store.describe() + ") for " + clientId;
    }
}
