package io.fendersec.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.FatalExitExceptionHandler;

import io.fendersec.job.FlinkConfig;
import io.fendersec.job.JobFailures;
import io.fendersec.job.JobSpecReader;

/**
 * A process that ends in one of the ways {@link FatalErrorExitTest} checks, through the CLI's own
 * entry ({@link ProcessExit#main}): run in a child JVM, because the point is the process's exit.
 */
public final class FatalErrorProbe {
    public static void main(String[] args) {
        ProcessExit.main(() -> switch (args[0]) {
            // an Error escaping a command in the main thread (picocli does not catch Errors)
            case "main-thread" -> throw new OutOfMemoryError("Java heap space");
            // a Flink thread's uncaught Error: Flink's own handler calls System.exit(-17)
            case "flink-thread" -> {
                Thread t = new Thread(() -> {
                    throw new OutOfMemoryError("Java heap space");
                }, "sink-writer");
                t.setUncaughtExceptionHandler(FatalExitExceptionHandler.INSTANCE);
                t.start();
                Thread.sleep(Long.MAX_VALUE);
                yield 0;
            }
            // an Error inside an operator on the job's own MiniCluster, with the job's Flink settings
            case "operator" -> {
                Path spec = Files.writeString(Files.createTempFile("job", ".yaml"), "source:\n  emulator: {}\n");
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                        FlinkConfig.of(new JobSpecReader().read(spec), null));
                env.fromSequence(1, 10).map(FatalErrorProbe::exhaust).sinkTo(new DiscardingSink<>());
                try {
                    env.execute("probe");
                } catch (Exception e) {
                    throw JobFailures.failure(e);
                }
                yield 0;
            }
            default -> throw new IllegalArgumentException(args[0]);
        });
    }

    private static long exhaust(long x) {
        throw new OutOfMemoryError("Java heap space");
    }
}
