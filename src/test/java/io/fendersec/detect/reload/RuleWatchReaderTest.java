package io.fendersec.detect.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule watch source's reader on real files: it emits a snapshot when the files change and
 * load, nothing while they stay the same, and a change that does not load only once (the rules
 * in force stay); added and removed files are seen because the patterns are expanded at every look.
 */
class RuleWatchReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static final String RULE = """
            title: Failed login
            name: failed-login
            detection: {sel: {text|contains: 'Login failed'}, condition: sel}
            ---
            title: Brute force
            name: brute-force
            correlation: {type: event_count, rules: [failed-login], group-by: [device.udid], timespan: 5m,
              condition: {gte: %d}}
            """;

    @TempDir
    Path dir;

    WatchedRules watched() {
        return new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1, Duration.ofMillis(20));
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(5); // polling an observable condition
        }
    }

    /** Waits for {@code n} more looks, then returns what the reader emitted meanwhile. */
    static List<RuleSnapshot> afterLooks(RuleWatchReader r, TestingReaderOutput<RuleSnapshot> out, int n)
            throws Exception {
        long target = r.looks() + n;
        await(n + " looks", () -> r.looks() >= target);
        while (r.pollNext(out).name().equals("MORE_AVAILABLE")) {
            // drain
        }
        List<RuleSnapshot> got = List.copyOf(out.getEmittedRecords());
        out.clearEmittedRecords();
        return got;
    }

    @Test
    void emitsChangesThatLoadAndReportsAFailingOneOnce() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Path file = dir.resolve("rules/brute.yml");
        Files.writeString(file, RULE.formatted(5));
        WatchedRules watched = watched();
        RuleSnapshot initial = watched.read();
        RuleWatchReader reader = new RuleWatchReader(watched, new TestingReaderContext());
        TestingReaderOutput<RuleSnapshot> out = new TestingReaderOutput<>();
        try {
            reader.addSplits(List.of(new RuleWatchSplit(initial.digest())));
            assertThat(afterLooks(reader, out, 3)).as("unchanged files").isEmpty();

            Files.writeString(file, RULE.formatted(8));
            await("the change", () -> reader.isAvailable().isDone());
            List<RuleSnapshot> changed = afterLooks(reader, out, 1);
            assertThat(changed).singleElement().satisfies(s -> {
                assertThat(watched.compile(s).correlations().get(0).condition().toString()).contains("8");
            });
            assertThat(reader.snapshotState(1)).containsExactly(new RuleWatchSplit(changed.get(0).digest()));

            Files.writeString(file, RULE.formatted(8).replace("gte: 8", "gte: eight"));
            await("the failure reported", () -> reader.failuresReported() == 1);
            assertThat(afterLooks(reader, out, 5)).as("a change that does not load").isEmpty();
            assertThat(reader.failuresReported()).as("reported once, not at every look").isEqualTo(1);

            // an added file is seen (the glob is expanded again), and the broken one fixed
            Files.writeString(file, RULE.formatted(8));
            Files.writeString(dir.resolve("rules/other.yml"), """
                    title: Debug menu
                    name: debug-menu
                    detection: {sel: {text|contains: 'debug menu'}, condition: sel}
                    """);
            await("the added file", () -> reader.isAvailable().isDone());
            List<RuleSnapshot> added = afterLooks(reader, out, 1);
            assertThat(added).singleElement().satisfies(s -> assertThat(s.entries()).hasSize(2));

            // removing every file is a failure too (the pattern matches nothing): reported once
            Files.delete(file);
            Files.delete(dir.resolve("rules/other.yml"));
            await("the failure reported", () -> reader.failuresReported() == 2);
            assertThat(afterLooks(reader, out, 5)).isEmpty();
            assertThat(reader.failuresReported()).isEqualTo(2);
        } finally {
            reader.close();
        }
    }
}
