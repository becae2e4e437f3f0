package io.fendersec.job;

import org.apache.flink.util.SerializedThrowable;

import io.fendersec.error.FendersecException;

/** Finds, in a failed job's cause chain, the error a user can act on (a refused key, a dead network). */
public final class JobFailures {
    private JobFailures() {}

    public static FendersecException actionableCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof FendersecException) {
                return (FendersecException) c;
            }
            if (c instanceof SerializedThrowable) {
                // From a remote cluster the cause arrives serialized; our classes are in the jar.
                Throwable original = ((SerializedThrowable) c).deserializeError(JobFailures.class.getClassLoader());
                if (original != c) {
                    FendersecException f = actionableCause(original);
                    if (f != null) {
                        return f;
                    }
                }
            }
            for (Throwable s : c.getSuppressed()) {
                FendersecException f = actionableCause(s);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    /** The innermost message, for a failure that is not one of ours. */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() != null ? ": " + c.getMessage() : "");
    }
}
