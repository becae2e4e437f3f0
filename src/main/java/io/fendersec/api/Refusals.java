package io.fendersec.api;

import io.fendersec.auth.AuthSettings;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.FendersecException;
import io.fendersec.error.NetworkException;

/**
 * Turns a refusal by the server into one line that says what the server objected to and which
 * setting fixes it. Messages name client ids, files and addresses, never a secret.
 */
final class Refusals {
    private Refusals() {}

    /** 401 {@code unauthorized_client} at the token endpoint or 403 at the API when the address is not allowlisted. */
    static AccessRefusedException allowlist(ErrorAnswer a, ClientSettings s) {
        String seen = a.seenAddress();
        String where = seen != null ? "address " + seen : "the address it saw (not given in its answer)";
        return new AccessRefusedException("Bugfender refused client '" + s.auth().clientId() + "' from " + where
                + " because it is not on the client's allowlist: set source.network.bind-address to an allowlisted"
                + " local address (now " + (s.bindAddress() != null ? s.bindAddress() : "not set") + "), set"
                + " source.network.proxy to an allowlisted proxy (now " + (s.proxy() != null ? s.proxy() : "not set")
                + "), or add " + (seen != null ? seen : "that address") + " to the account's allowlist");
    }

    /** An error answer of the token endpoint. */
    static FendersecException token(ErrorAnswer a, ClientSettings s, String grant) {
        AuthSettings auth = s.auth();
        String client = "client '" + auth.clientId() + "'";
        if (a.is("unauthorized_client") && (a.status == 401 || a.seenAddress() != null)) {
            return allowlist(a, s);
        }
        if (a.is("invalid_client")) {
            return new AccessRefusedException("Bugfender does not accept the credentials of " + client + " ("
                    + a.summary() + "): " + invalidClientHint(auth));
        }
        if (a.is("invalid_grant")) {
            return new AccessRefusedException("Bugfender refused the " + grant + " grant of " + client + " ("
                    + a.summary() + "): " + invalidGrantHint(auth, grant));
        }
        if (a.is("unauthorized_client") || a.is("unsupported_grant_type")) {
            return new AccessRefusedException("Bugfender does not allow " + client + " the " + grant + " grant ("
                    + a.summary() + "): check that source.auth.method (" + auth.method().specName()
                    + ") fits the client's type (service account: jwt or client-secret; integration: refresh-token)");
        }
        if (a.status >= 400 && a.status < 500) {
            return new AccessRefusedException("Bugfender refused the sign-in of " + client + " (" + a.summary()
                    + "): check source.auth");
        }
        return new NetworkException("the token endpoint " + s.tokenUrl() + " failed: " + a.summary());
    }

    private static String invalidClientHint(AuthSettings auth) {
        switch (auth.method()) {
            case JWT:
                return "check source.auth.client-id, that source.auth.private-key (" + auth.privateKeyFile()
                        + ") is the private half of the public key registered for it, and this machine's clock";
            case CLIENT_SECRET:
                return "check source.auth.client-id and source.auth.client-secret (" + auth.clientSecret() + ")";
            default:
                return "check source.auth.client-id and source.auth.client-secret (" + auth.clientSecret()
                        + ") of the integration";
        }
    }

    private static String invalidGrantHint(AuthSettings auth, String grant) {
        if (grant.startsWith("refresh_token")) {
            return "the refresh token in source.auth.refresh-token-file (" + auth.refreshTokenFile()
                    + ") is expired, revoked or was already rotated; run `fendersec login JOB.yaml` to sign in again";
        }
        if (grant.startsWith("authorization_code")) {
            return "the code is wrong, expired or was already used; open the authorize URL again and use the new code";
        }
        return "check this machine's clock (the assertion's iat/exp) and that source.url is the address the"
                + " server calls itself (the assertion's aud is source.url + /auth/token)";
    }
}
