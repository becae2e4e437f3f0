package io.fendersec.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/** Client credentials with an RFC 7523 client assertion: a freshly signed JWT for every request. */
public final class JwtAssertionTokenProvider implements TokenProvider {
    private final String clientId;
    private final ClientAssertion assertion;
    private final TokenEndpoint endpoint;

    public JwtAssertionTokenProvider(String clientId, ClientAssertion assertion, TokenEndpoint endpoint) {
        this.clientId = clientId;
        this.assertion = assertion;
        this.endpoint = endpoint;
    }

    @Override
    public TokenResponse fetch() {
        return endpoint.request(() -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            form.put("client_id", clientId);
            form.put("client_assertion_type", ClientAssertion.TYPE);
            form.put("client_assertion", assertion.create()); // new for every attempt
            return form;
        }, "client_credentials (jwt)");
    }

    @Override
    public String describe() {
        return "jwt client assertion for " + clientId;
    }
}
