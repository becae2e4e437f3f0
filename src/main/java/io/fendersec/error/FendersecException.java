package io.fendersec.error;

/**
 * An error a user can act on: its message is one line that names the field, file or setting at
 * fault and what to do, and it maps to one process exit code. Messages never carry secrets.
 */
public abstract class FendersecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected FendersecException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code for this error, one of {@link ExitCode}. */
    public abstract int exitCode();
}
