package io.fendersec.error;

/** The Flink job failed for a reason that is none of the other kinds (exit 5). */
public class JobFailedException extends FendersecException {
    private static final long serialVersionUID = 1L;

    public JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCode.JOB_FAILED;
    }
}
