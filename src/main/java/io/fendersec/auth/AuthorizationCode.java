package io.fendersec.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The out-of-band authorization code flow of an integration ({@code fendersec login}): the URL the
 * user opens, and the exchange of the code shown there for the first refresh token, which is
 * saved before this returns.
 */
public final class AuthorizationCode {
    private AuthorizationCode() {}

    /** {@code <base>/auth/authorize?response_type=code&client_id=..&redirect_uri=urn:ietf:wg:oauth:2.0:oob}. */
    public static URI authorizeUrl(URI baseUrl, String clientId) {
        return URI.create(baseUrl + "/auth/authorize?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(RefreshTokenProvider.OOB_REDIRECT));
    }

    /** Exchanges {@code code}, stores the refresh token, returns the answer (its access token is usable). */
    public static TokenResponse exchange(String code, String clientId, SecretRef secret, RefreshTokenStore store,
            TokenEndpoint endpoint) {
        if (code == null || code.isBlank()) {
            throw new io.fendersec.error.ConfigException("login: no authorization code was given");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code.trim());
        form.put("redirect_uri", RefreshTokenProvider.OOB_REDIRECT);
        form.put("client_id", clientId);
        form.put("client_secret", secret.resolve("source.auth.client-secret"));
        TokenResponse answer = endpoint.request(() -> form, "authorization_code");
        if (answer.refreshToken() == null) {
            throw new io.fendersec.error.AccessRefusedException("Bugfender exchanged the authorization code for client '"
                    + clientId + "' but issued no refresh token; check that the client is an integration");
        }
        store.save(answer.refreshToken());
        return answer;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
