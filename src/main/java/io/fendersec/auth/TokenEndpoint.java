package io.fendersec.auth;

import java.util.Map;

/**
 * {@code POST <base>/auth/token} with a form. The HTTP side lives in the API client (bind
 * address, proxy, TLS, retries) and turns OAuth error answers into
 * {@link io.fendersec.error.AccessRefusedException}s that say what to fix; this package only
 * decides what to send.
 */
public interface TokenEndpoint {
    /**
     * Posts {@code form} and returns the answer. {@code grant} names the request in logs and
     * errors (e.g. "client_credentials (jwt)"); the form's values are secrets and are never logged.
     */
    TokenResponse request(Map<String, String> form, String grant);
}
