package io.fendersec.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/** Client credentials with a client secret, resolved from its reference at each request. */
public final class ClientSecretTokenProvider implements TokenProvider {
    private final String clientId;
    private final SecretRef secret;
    private final TokenEndpoint endpoint;

    public ClientSecretTokenProvider(String clientId, SecretRef secret, TokenEndpoint endpoint) {
        this.clientId = clientId;
        this.secret = secret;
        this.endpoint = endpoint;
    }

    @Override
    public TokenResponse fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret.resolve("source.auth.client-secret"));
        return endpoint.request(() -> form, "client_credentials (client-secret)");
    }

    @Override
    public String describe() {
        return "client secret for " + clientId;
    }
}
