package io.fendersec.error;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The service refused authentication or authorization, the address allowlist included (exit 3).
 *
 * <p>A refused key or address does not fix itself on restart: Flink fails the job at once instead of restarting it.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
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
