package io.fendersec.job;

import org.apache.flink.util.SerializedThrowable;

import io.fendersec.error.FendersecException;
import io.fendersec.error.JobFailedException;

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

    /**
     * What the shutdown guard says when a Flink thread's fatal error ended the process (Flink's
     * handler exits with -17 and the error itself went to the log): most often the heap ran out.
     */
    public static final String FATAL_IN_FLINK_THREAD = "failed: a fatal error in a Flink thread stopped the job"
            + " (most often the heap ran out: " + "raise " + heapSettings() + "; --verbose logs the error)";

    /**
     * A failed job as the exception the CLI reports: the actionable cause when there is one, else
     * one line for a JVM error anywhere in the chain (what ran out and the setting to change), else
     * the innermost message; exit 5 for all but the actionable ones.
     */
    public static FendersecException failure(Throwable e) {
        FendersecException cause = actionableCause(e);
        if (cause != null) {
            return cause;
        }
        Error error = firstError(e);
        if (error != null) {
            return new JobFailedException(fatalMessage(error), e);
        }
        return new JobFailedException("the job failed: " + rootMessage(e), e);
    }

    /**
     * One line for an {@link Error}: what ran out and which setting to change. Builds as little as it
     * can, because it may run on a heap that has just run out.
     */
    public static String fatalMessage(Throwable error) {
        if (error instanceof OutOfMemoryError) {
            String what = error.getMessage() == null ? "memory" : error.getMessage();
            return "the job ran out of memory (" + what + "): raise " + heapSettings()
                    + ", or lower what the job keeps (fewer rules, a shorter range, rules' max-groups)";
        }
        if (error instanceof StackOverflowError) {
            return "the job failed: a thread's stack overflowed (StackOverflowError): raise the stack size"
                    + " (-Xss, e.g. JDK_JAVA_OPTIONS=-Xss4m), and report the rule or input that caused it";
        }
        return "the job failed: " + error.getClass().getName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    private static String heapSettings() {
        return "the heap (JDK_JAVA_OPTIONS=-Xmx4g for a local run; taskmanager.memory.process.size on a cluster)";
    }

    /** The outermost {@link Error} in the chain (a serialized one included), or null. */
    private static Error firstError(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof Error error) {
                return error;
            }
            if (c instanceof SerializedThrowable serialized) {
                Throwable original = serialized.deserializeError(JobFailures.class.getClassLoader());
                if (original instanceof Error error) {
                    return error;
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
