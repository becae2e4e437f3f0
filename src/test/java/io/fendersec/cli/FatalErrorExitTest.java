package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26 §1: an {@link Error} (an OutOfMemoryError above all) ends the process with exit 5 and one
 * line naming what ran out and the setting to change; never exit 1 (a scheduler reads "found
 * alerts") nor 239 (Flink's fatal-exit handler), never a stack trace or thread dump. Each case runs
 * in a child JVM, because what is checked is the process's own exit.
 */
class FatalErrorExitTest {
    @TempDir
    Path dir;

    private record Exit(int code, List<String> stderr) {}

    private Exit probe(String mode) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path err = dir.resolve(mode + ".err");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FatalErrorProbe.class.getName(), mode)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        // Bounded: a job that waits for resources that will never come is the bug, not slowness.
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mode + ": still running after 120 s; stderr: " + Files.readString(err));
        }
        // The JVM's own notice when Flink's exit path unsets its security manager is not ours to silence.
        return new Exit(p.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("WARNING: ") || !l.contains("ecurityManager") && !l.contains("terminally deprecated"))
                .toList());
    }

    // Mutation caught: Main.main calls System.exit(run(args)) with no catch of Throwable: the Error
    // leaves the main thread, the JVM prints its trace and exits 1.
    @Test
    void anErrorInTheMainThreadIsOneLineAndExit5() throws Exception {
        Exit exit = probe("main-thread");
        assertThat(exit.code).as("stderr: %s", exit.stderr).isEqualTo(5);
        assertThat(exit.stderr).containsExactly("fendersec: the job ran out of memory (Java heap space): raise the heap"
                + " (JDK_JAVA_OPTIONS=-Xmx4g for a local run; taskmanager.memory.process.size on a cluster), or lower"
                + " what the job keeps (fewer rules, a shorter range, rules' max-groups)");
    }

    // Mutation caught: no shutdown guard (or one that does not halt with 5): Flink's
    // FatalExitExceptionHandler exits 239 after logging a dump of every thread.
    @Test
    void aFatalErrorInAFlinkThreadIsOneLineAndExit5NotFlinks239() throws Exception {
        Exit exit = probe("flink-thread");
        assertThat(exit.code).as("stderr: %s", exit.stderr).isEqualTo(5);
        assertThat(exit.stderr).containsExactly("fendersec: failed: a fatal error in a Flink thread stopped the job"
                + " (most often the heap ran out: raise the heap (JDK_JAVA_OPTIONS=-Xmx4g for a local run;"
                + " taskmanager.memory.process.size on a cluster); --verbose logs the error)");
    }

    // Mutations caught: JobFailures.failure reports only the root message ("the job failed:
    // OutOfMemoryError: Java heap space", no setting to change); a restart strategy or slot request
    // timeout that lets the local job wait minutes for a TaskManager that died of the error.
    @Test
    void anErrorInsideAnOperatorOnTheMiniClusterEndsTheRunWithExit5AndTheSettingToChange() throws Exception {
        Exit exit = probe("operator");
        assertThat(exit.code).as("stderr: %s", exit.stderr).isEqualTo(5);
        assertThat(exit.stderr).as("one line, no trace").hasSize(1);
        assertThat(exit.stderr.get(0)).startsWith("fendersec: the job ran out of memory (Java heap space): raise the heap");
    }
}
