package io.fendersec.emulator.auth;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.fendersec.emulator.auth.ClientAccount.Integration;
import io.fendersec.emulator.auth.ClientAccount.SecretClient;
import io.fendersec.emulator.auth.TokenStore.AccessToken;
import io.fendersec.emulator.auth.TokenStore.AuthorizationCode;
import io.fendersec.emulator.auth.TokenStore.Grant;

/**
 * The token endpoint's grants ({@code client_credentials} by secret or by JWT assertion,
 * {@code authorization_code}, {@code refresh_token}) and the authorize page, over the HTTP-free
 * inputs the handler extracts. Refusals are {@link OAuthError}s.
 */
public final class AuthorizationServer {
    public static final String OOB = "urn:ietf:wg:oauth:2.0:oob";

    private final ClientRegistry clients;
    private final TokenStore tokens;
    private final JwtAssertionVerifier assertions;
    private final String user;

    public AuthorizationServer(ClientRegistry clients, TokenStore tokens, JwtAssertionVerifier assertions, String user) {
        this.clients = clients;
        this.tokens = tokens;
        this.assertions = assertions;
        this.user = user;
    }

    /** Answers a token request; the map is the JSON body of the 200 answer. */
    public Map<String, Object> token(Map<String, String> form, InetAddress peer, String authorizationHeader) {
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthError.invalidRequest("grant_type is required");
        }
        switch (grantType) {
            case "client_credentials":
                return clientCredentials(form, peer, authorizationHeader);
            case "authorization_code":
                return authorizationCode(form, authorizationHeader);
            case "refresh_token":
                return refreshToken(form, authorizationHeader);
            default:
                throw new OAuthError(400, "unsupported_grant_type", "grant_type " + grantType + " is not supported");
        }
    }

    private Map<String, Object> clientCredentials(Map<String, String> form, InetAddress peer, String authorizationHeader) {
        ClientAccount client;
        String assertion = form.get("client_assertion");
        if (assertion != null) {
            client = assertions.verify(assertion, form.get("client_assertion_type"), form.get("client_id"));
        } else if (form.containsKey("client_assertion_type")) {
            throw OAuthError.invalidRequest("client_assertion is required with client_assertion_type");
        } else {
            String[] idSecret = clientIdAndSecret(form, authorizationHeader);
            ClientAccount c = clients.find(idSecret[0])
                    .orElseThrow(() -> OAuthError.invalidClient("unknown client " + idSecret[0]));
            if (c instanceof SecretClient) {
                if (!((SecretClient) c).secretMatches(idSecret[1])) {
                    throw OAuthError.invalidClient("client authentication failed for " + c.id());
                }
            } else if (c instanceof Integration) {
                if (!((Integration) c).secretMatches(idSecret[1])) {
                    throw OAuthError.invalidClient("client authentication failed for " + c.id());
                }
                throw new OAuthError(400, "unauthorized_client",
                        "integration " + c.id() + " must use the authorization_code grant");
            } else {
                throw OAuthError.invalidClient("client " + c.id() + " authenticates with a JWT client assertion, not a secret");
            }
            client = c;
        }
        // Only an authenticated client learns that its address is refused.
        if (!client.allowlist().allows(peer)) {
            throw OAuthError.addressRefused(401, peer.getHostAddress());
        }
        return answer(tokens.issueAccessToken(client, null), null);
    }

    private Map<String, Object> authorizationCode(Map<String, String> form, String authorizationHeader) {
        Integration integration = authenticatedIntegration(form, authorizationHeader);
        String code = form.get("code");
        if (code == null) {
            throw OAuthError.invalidRequest("code is required");
        }
        // Checked before the code is spent: a client presenting another's code must not burn it.
        AuthorizationCode c = tokens.redeemCode(code, integration.id(), form.get("redirect_uri"));
        AccessToken t = tokens.issueAccessToken(integration, c.user);
        return answer(t, tokens.issueRefreshToken(integration.id(), c.user));
    }

    private Map<String, Object> refreshToken(Map<String, String> form, String authorizationHeader) {
        Integration integration = authenticatedIntegration(form, authorizationHeader);
        String refresh = form.get("refresh_token");
        if (refresh == null) {
            throw OAuthError.invalidRequest("refresh_token is required");
        }
        Grant g = tokens.redeemRefreshToken(refresh, integration.id())
                .orElseThrow(() -> OAuthError.invalidGrant("refresh_token is unknown or was replaced by a newer one"));
        AccessToken t = tokens.issueAccessToken(integration, g.user);
        return answer(t, tokens.issueRefreshToken(integration.id(), g.user));
    }

    private Integration authenticatedIntegration(Map<String, String> form, String authorizationHeader) {
        String[] idSecret = clientIdAndSecret(form, authorizationHeader);
        ClientAccount c = clients.find(idSecret[0])
                .orElseThrow(() -> OAuthError.invalidClient("unknown client " + idSecret[0]));
        if (!(c instanceof Integration)) {
            throw new OAuthError(400, "unauthorized_client", "client " + c.id() + " is not an integration");
        }
        if (!((Integration) c).secretMatches(idSecret[1])) {
            throw OAuthError.invalidClient("client authentication failed for " + c.id());
        }
        return (Integration) c;
    }

    /**
     * client_id/client_secret from the form, or from HTTP Basic (client_secret_basic). With Basic,
     * a form client_id naming another client, or a second secret in the form, is refused: one
     * request, one client, one authentication method (RFC 6749 2.3).
     */
    private static String[] clientIdAndSecret(Map<String, String> form, String authorizationHeader) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            String basicId;
            String basicSecret;
            try {
                String decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw OAuthError.invalidClient("Authorization: Basic header is malformed");
                }
                basicId = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                basicSecret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("Authorization: Basic header is malformed");
            }
            if (id != null && !id.equals(basicId)) {
                throw OAuthError.invalidRequest("client_id in the form does not match the client of the Authorization header");
            }
            if (secret != null) {
                throw OAuthError.invalidRequest("client_secret is sent both in the form and in the Authorization header;"
                        + " use one authentication method");
            }
            id = basicId;
            secret = basicSecret;
        }
        if (id == null || id.isEmpty()) {
            throw OAuthError.invalidRequest("client_id is required");
        }
        if (secret == null) {
            throw OAuthError.invalidClient("client_secret is required for client " + id);
        }
        return new String[] {id, secret};
    }

    private Map<String, Object> answer(AccessToken t, String refreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", t.token());
        body.put("token_type", "bearer");
        body.put("expires_in", Math.max(1, tokens.accessTokenTtl().toSeconds()));
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        return body;
    }

    /** What {@code GET /auth/authorize} answers: a redirect carrying the code, or a page showing it. */
    public static final class AuthorizeOutcome {
        private final String redirect;
        private final String code;

        AuthorizeOutcome(String redirect, String code) {
            this.redirect = redirect;
            this.code = code;
        }

        /** The URL to redirect to, or empty for the out-of-band page. */
        public Optional<String> redirect() {
            return Optional.ofNullable(redirect);
        }

        public String code() {
            return code;
        }
    }

    /** Approves an integration's request for the configured user (the emulator has no login form). */
    public AuthorizeOutcome authorize(Map<String, String> query) {
        if (!"code".equals(query.get("response_type"))) {
            throw new OAuthError(400, "unsupported_response_type", "response_type must be code");
        }
        String clientId = query.get("client_id");
        if (clientId == null) {
            throw OAuthError.invalidRequest("client_id is required");
        }
        ClientAccount c = clients.find(clientId).orElseThrow(() -> OAuthError.invalidClient("unknown client " + clientId));
        if (!(c instanceof Integration)) {
            throw new OAuthError(400, "unauthorized_client", "client " + clientId + " is not an integration");
        }
        String redirectUri = query.get("redirect_uri");
        if (redirectUri == null || redirectUri.isEmpty()) {
            throw OAuthError.invalidRequest("redirect_uri is required");
        }
        if (!((Integration) c).allowsRedirect(redirectUri)) {
            // Never redirect to an unregistered URI (RFC 6749 4.1.2.1): that is how codes are stolen.
            throw OAuthError.invalidRequest("redirect_uri is not registered for client " + clientId);
        }
        if (user == null) {
            throw new OAuthError(403, "access_denied", "no user is signed in to approve (start the emulator with --user NAME)");
        }
        String code = tokens.issueCode(clientId, redirectUri, user);
        if (OOB.equals(redirectUri)) {
            return new AuthorizeOutcome(null, code);
        }
        StringBuilder url = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?')
                .append("code=").append(code);
        String state = query.get("state");
        if (state != null) {
            url.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
        }
        return new AuthorizeOutcome(url.toString(), code);
    }
}
