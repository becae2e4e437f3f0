package io.fendersec.error;

/** The process exit codes every command uses (see README). */
public final class ExitCode {
    /** Done; for a bounded run, no alerts. */
    public static final int OK = 0;
    /** A bounded run finished and found alerts. */
    public static final int ALERTS = 1;
    /** Configuration error: job spec, command line, key file, rule file. */
    public static final int CONFIG = 2;
    /** Authentication or authorization refused, the address allowlist included. */
    public static final int REFUSED = 3;
    /** Network failure: the service could not be reached or kept failing. */
    public static final int NETWORK = 4;
    /** The job failed. */
    public static final int JOB_FAILED = 5;

    private ExitCode() {}
}
