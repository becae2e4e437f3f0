package io.fendersec.auth;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST <base>/auth/token} with a form. The HTTP side lives in the API client (bind
 * address, proxy, TLS, retries) and turns OAuth error answers into
 * {@link io.fendersec.error.AccessRefusedException}s that say what to fix; this package only
 * decides what to send.
 */
public interface TokenEndpoint {
    /**
     * Posts the form and returns the answer. {@code form} is asked again for every attempt, because
     * a retried request must carry a new client assertion (a server rejects a reused {@code jti}).
     * {@code grant} names the request in logs and errors (e.g. "client_credentials (jwt)"); the
     * form's values are secrets and are never logged.
     */
    TokenResponse request(Supplier<Map<String, String>> form, String grant);
}
