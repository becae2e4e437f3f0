package io.fendersec.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.fendersec.model.Alert;
import io.fendersec.report.AlertFiles;

/**
 * The alerts a running job's file sink has committed (visible part files only), and a deadline
 * poll for one of them: how tests judge a continuous job while it runs.
 */
public final class CommittedAlerts {
    private CommittedAlerts() {}

    /** Every committed alert under {@code dir}; none while the folder does not exist yet. */
    public static List<Alert> in(Path dir) {
        return Files.isDirectory(dir) ? AlertFiles.read(AlertFiles.find(List.of(dir))).alerts() : List.of();
    }

    /** Polls {@code dir} until a committed alert satisfies {@code wanted}; fails after {@code wait}. */
    public static Alert await(Path dir, String what, Predicate<Alert> wanted, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            for (Alert a : in(dir)) {
                if (wanted.test(a)) {
                    return a;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the running job committed no " + what + " alert within " + wait
                        + "; it committed: " + in(dir).stream().map(a -> a.ruleId() + " " + a.group()).toList());
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling the output, not timing the system under test
        }
    }
}
