package io.fendersec.error;

/** The service could not be reached, or kept failing after retries (exit 4). */
public class NetworkException extends FendersecException {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message) {
        super(message, null);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCode.NETWORK;
    }
}
