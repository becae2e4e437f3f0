package io.fendersec.error;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A configuration error (exit 2): the message names the key path or file and the expected form.
 *
 * <p>A wrong setting does not fix itself on restart: Flink fails the job at once instead of restarting it.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public class ConfigException extends FendersecException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCode.CONFIG;
    }
}
