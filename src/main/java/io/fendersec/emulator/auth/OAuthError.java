package io.fendersec.emulator.auth;

/**
 * A refusal answered as RFC 6749 §5.2 describes: an HTTP status and a JSON body
 * {@code {"error":..., "error_description":...}}. Carries no stack trace: it is an answer, not a
 * failure of the emulator.
 */
public final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description);
    }

    /** The doc's allowlist refusal: 401 at the token endpoint, 403 at the API. */
    public static OAuthError addressRefused(int status, String address) {
        return new OAuthError(status, "unauthorized_client", "address " + address + " is not on this client's allowlist");
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
