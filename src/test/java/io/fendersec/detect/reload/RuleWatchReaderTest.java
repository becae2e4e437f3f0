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

    /**
     * A rule file caught while it is being written (an editor's save, a {@code cp}, a config
     * management agent writing in two steps) is neither applied nor reported: a change counts once
     * two looks in a row see the same content. The test places each write between two looks itself
     * (the reader's own interval is an hour, so only the first look is scheduled), so the half file
     * is seen by exactly one look, which a timed test could not promise.
     *
     * <p>Mutation caught: {@code settled} always true (a half-written file is applied at the look
     * that catches it: two snapshots come out instead of one, and a half that does not parse is
     * reported as a failure).
     */
    @Test
    void aFileCaughtHalfWrittenIsNeitherAppliedNorReported() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Path file = dir.resolve("rules/brute.yml");
        Files.writeString(file, RULE.formatted(5));
        WatchedRules watched = new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1,
                Duration.ofHours(1));
        RuleSnapshot initial = watched.read();
        RuleWatchReader reader = new RuleWatchReader(watched, new TestingReaderContext());
        TestingReaderOutput<RuleSnapshot> out = new TestingReaderOutput<>();
        try {
            reader.addSplits(List.of(new RuleWatchSplit(initial.digest())));
            await("the scheduled first look", () -> reader.looks() == 1);

            // Round 1: the first half is itself a rule file that loads (the detection, not yet the
            // correlation), so applying it would silently drop brute-force.
            String whole = RULE.formatted(8);
            Files.writeString(file, whole.substring(0, whole.indexOf("---")));
            reader.look();
            Files.writeString(file, whole);
            reader.look();
            assertThat(reader.isAvailable().isDone()).as("the whole file seen by one look only").isFalse();
            reader.look();
            List<RuleSnapshot> got = drain(reader, out);
            assertThat(got).as("only the whole file, once two looks saw it").singleElement()
                    .satisfies(s -> assertThat(s.digest()).isEqualTo(watched.read().digest()));
            assertThat(watched.compile(got.get(0)).correlations()).singleElement()
                    .satisfies(c -> assertThat(c.condition().toString()).contains("8"));

            // Round 2: the first half is cut inside a line and does not load: not a failure either.
            String next = RULE.formatted(9);
            Files.writeString(file, next.substring(0, next.indexOf("group-by")));
            reader.look();
            Files.writeString(file, next);
            reader.look();
            reader.look();
            assertThat(drain(reader, out)).singleElement()
                    .satisfies(s -> assertThat(s.digest()).isEqualTo(watched.read().digest()));
            assertThat(reader.failuresReported()).as("a file caught half-written is no failure").isZero();
        } finally {
            reader.close();
        }
    }

    private static List<RuleSnapshot> drain(RuleWatchReader r, TestingReaderOutput<RuleSnapshot> out) {
        while (r.pollNext(out).name().equals("MORE_AVAILABLE")) {
            // drain
        }
        List<RuleSnapshot> got = List.copyOf(out.getEmittedRecords());
        out.clearEmittedRecords();
        return got;
    }
}
