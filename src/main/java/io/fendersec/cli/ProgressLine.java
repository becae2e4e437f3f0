package io.fendersec.cli;

import java.io.PrintWriter;
import java.time.Duration;

import io.fendersec.job.JobRun;

/**
 * The live progress of a run on a terminal: one line, rewritten in place at every update (percent of
 * the bounded run's total, logs/s, alerts so far, ETA). Off a terminal (a log file, a pipe) it
 * prints nothing while the job runs: the run's summary is the one line that counts there.
 *
 * <p>Only numbers reach the terminal: nothing here comes from the logs themselves.
 */
final class ProgressLine {
    /** The rate is measured over about this long, so that it follows the job without jumping. */
    private static final long WINDOW_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final long[] sampleNanos = new long[16];
    private final long[] sampleLogs = new long[16];
    private int samples;
    private int printedWidth;

    ProgressLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A line for the console if there is one ({@code System.console()}), else none. */
    static ProgressLine forConsole(PrintWriter err) {
        return new ProgressLine(err, System.console() != null);
    }

    void show(JobRun.Progress p) {
        long now = p.elapsed().toNanos();
        double rate = rate(now, p.logs());
        if (!terminal) {
            return;
        }
        String line = format(p, rate);
        int pad = Math.max(0, printedWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        printedWidth = line.length();
        err.flush();
    }

    void done() {
        if (terminal && printedWidth > 0) {
            err.println();
            err.flush();
        }
    }

    /** Logs per second over the last few seconds of samples (0 until two samples are in). */
    private double rate(long nanos, long logs) {
        int i = samples % sampleNanos.length;
        sampleNanos[i] = nanos;
        sampleLogs[i] = logs;
        samples++;
        int n = Math.min(samples, sampleNanos.length);
        int oldest = i;
        for (int k = 1; k < n; k++) {
            int j = Math.floorMod(i - k, sampleNanos.length);
            if (nanos - sampleNanos[j] > WINDOW_NANOS) {
                break;
            }
            oldest = j;
        }
        long dt = nanos - sampleNanos[oldest];
        return dt <= 0 ? 0 : (logs - sampleLogs[oldest]) * 1e9 / dt;
    }

    static String format(JobRun.Progress p, double logsPerSecond) {
        StringBuilder sb = new StringBuilder("  ");
        if (p.total() > 0) {
            double pct = Math.min(100.0, 100.0 * p.logs() / p.total());
            sb.append(String.format("%3.0f%% %,d/%,d logs", Math.floor(pct), p.logs(), p.total()));
        } else {
            sb.append(String.format("%,d logs", p.logs()));
        }
        sb.append(String.format(", %,.0f logs/s, %,d alerts", logsPerSecond, p.alerts()));
        if (p.total() > 0 && logsPerSecond > 0 && p.logs() < p.total()) {
            sb.append(", ETA ").append(clock(Duration.ofSeconds((long) Math.ceil((p.total() - p.logs()) / logsPerSecond))));
        }
        sb.append(", ").append(clock(p.elapsed()));
        return sb.toString();
    }

    private static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
