package io.fendersec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fendersec.error.ExitCode;
import io.fendersec.error.FendersecException;
import io.fendersec.error.TerminalText;
import io.fendersec.job.JobFailures;

/**
 * Every way out of the process ends with one of the documented exit codes and one line.
 *
 * <p>Three paths would otherwise escape: an {@link Error} (an {@link OutOfMemoryError} above all)
 * thrown in the main thread, which picocli does not catch and the JVM ends with exit 1 ("found
 * alerts" to a scheduler) after a stack trace, or with a second OutOfMemoryError in its own uncaught
 * exception handler; and a Flink thread whose uncaught error reaches Flink's
 * {@code FatalExitExceptionHandler}, which calls {@code System.exit(-17)}: exit 239 after a thread
 * dump. The first is caught here; the second is seen by a shutdown hook, which knows that the exit
 * was not the command's own choice and turns it into exit 5 with one line.
 *
 * <p>A signal (Ctrl-C, {@code kill}) is the user's choice, not a failure: it keeps the JVM's status.
 */
final class ProcessExit {
    /**
     * Freed before the one line is built after an {@link OutOfMemoryError}: the heap may be too
     * full to format a message, and a second error while reporting the first is the exit-1 path.
     */
    @SuppressWarnings("unused")
    private static volatile byte[] reserve = new byte[1 << 20];

    private static final AtomicBoolean CHOSEN = new AtomicBoolean();
    private static final AtomicBoolean SIGNALLED = new AtomicBoolean();

    private ProcessExit() {}

    /** Runs the command and exits the process with its code; never returns. */
    static void main(Callable<Integer> command) {
        guard();
        int code;
        try {
            code = command.call();
        } catch (Throwable t) {
            reserve = null;
            code = report(t, new PrintWriter(System.err, true));
        }
        exit(code);
    }

    /** The exit code of an error that escaped a command, after its one line on {@code err}. */
    static int report(Throwable t, PrintWriter err) {
        if (t instanceof VirtualMachineError) {
            reserve = null;
        }
        try {
            String line = t instanceof FendersecException f ? f.getMessage()
                    : t instanceof Error ? JobFailures.fatalMessage(t) : "failed: " + JobFailures.rootMessage(t);
            err.println("fendersec: " + TerminalText.lines(line));
            err.flush();
        } catch (Throwable again) {
            // nothing more can be said; the exit code still says it
        }
        return t instanceof FendersecException f ? f.exitCode() : ExitCode.JOB_FAILED;
    }

    private static void exit(int code) {
        CHOSEN.set(true);
        System.exit(code);
    }

    private static void guard() {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
                previous[0] = sun.misc.Signal.handle(signal, s -> {
                    SIGNALLED.set(true);
                    if (previous[0] != null && previous[0] != sun.misc.SignalHandler.SIG_DFL
                            && previous[0] != sun.misc.SignalHandler.SIG_IGN) {
                        previous[0].handle(s);
                    } else {
                        System.exit(128 + s.getNumber());
                    }
                });
            } catch (IllegalArgumentException e) {
                // a signal this platform does not have (or the JVM reserves)
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessExit::onShutdown, "fendersec-exit"));
    }

    /**
     * The JVM is exiting although the command did not choose to: something called
     * {@code System.exit} (Flink's fatal-error handler, with -17). One line, exit 5; {@code halt}
     * because it is the only way a shutdown hook can set the status.
     */
    private static void onShutdown() {
        if (CHOSEN.get() || SIGNALLED.get()) {
            return;
        }
        reserve = null;
        try {
            System.err.println("fendersec: " + JobFailures.FATAL_IN_FLINK_THREAD);
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(ExitCode.JOB_FAILED);
        }
    }
}
