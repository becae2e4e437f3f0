package io.fendersec.auth;

/** Obtains a new access token by one sign-in method. Called by {@link TokenCache}, one call at a time. */
public interface TokenProvider {
    TokenResponse fetch();

    /** For logs: the method and client id, nothing secret. */
    String describe();
}
