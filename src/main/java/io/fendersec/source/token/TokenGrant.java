package io.fendersec.source.token;

import java.time.Duration;

import org.apache.flink.api.connector.source.SourceEvent;

import io.fendersec.auth.TokenResponse;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.error.FendersecException;
import io.fendersec.error.JobFailedException;
import io.fendersec.error.NetworkException;

/**
 * The enumerator's answer to a {@link TokenRequest}: an access token and how long it still lives,
 * or why none could be had (the one-line message and exit code of the enumerator's error, so the
 * reader fails with the same kind of error, e.g. {@code invalid_grant} as a refusal). A credential
 * travels here: {@link #toString} never shows it.
 */
public final class TokenGrant implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final long requestId;
    private final String token;
    private final long millisLeft;
    private final int errorExitCode;
    private final String error;

    private TokenGrant(long requestId, String token, long millisLeft, int errorExitCode, String error) {
        this.requestId = requestId;
        this.token = token;
        this.millisLeft = millisLeft;
        this.errorExitCode = errorExitCode;
        this.error = error;
    }

    static TokenGrant of(long requestId, TokenResponse lease) {
        return new TokenGrant(requestId, lease.accessToken(), lease.expiresIn().toMillis(), 0, null);
    }

    static TokenGrant failed(long requestId, RuntimeException e) {
        if (e instanceof FendersecException) {
            return new TokenGrant(requestId, null, 0, ((FendersecException) e).exitCode(), e.getMessage());
        }
        return new TokenGrant(requestId, null, 0, ExitCode.JOB_FAILED,
                "the source's enumerator could not get an access token (" + e.getClass().getSimpleName()
                        + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")");
    }

    long requestId() {
        return requestId;
    }

    /** The token and its remaining life, or the enumerator's error, thrown as the same kind of error. */
    TokenResponse lease() {
        if (token == null) {
            switch (errorExitCode) {
                case ExitCode.CONFIG:
                    throw new ConfigException(error);
                case ExitCode.REFUSED:
                    throw new AccessRefusedException(error);
                case ExitCode.NETWORK:
                    throw new NetworkException(error);
                default:
                    throw new JobFailedException(error, null);
            }
        }
        // A token with no time left is still handed over: the cache asks again on its next use.
        return new TokenResponse(token, Duration.ofMillis(Math.max(1, millisLeft)), null);
    }

    @Override
    public String toString() {
        return "TokenGrant{requestId=" + requestId + (token != null ? ", token=<redacted>, millisLeft=" + millisLeft
                : ", error=" + error) + "}";
    }
}
