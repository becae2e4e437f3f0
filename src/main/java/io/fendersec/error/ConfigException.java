package io.fendersec.error;

/** A configuration error (exit 2): the message names the key path or file and the expected form. */
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
