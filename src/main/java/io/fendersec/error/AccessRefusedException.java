package io.fendersec.error;

/** The service refused authentication or authorization, the address allowlist included (exit 3). */
public class AccessRefusedException extends FendersecException {
    private static final long serialVersionUID = 1L;

    public AccessRefusedException(String message) {
        super(message, null);
    }

    public AccessRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCode.REFUSED;
    }
}
