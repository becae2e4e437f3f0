package io.fendersec.detect.reload;

import static io.fendersec.detect.reload.RuleWatchReaderTest.afterLooks;
import static io.fendersec.detect.reload.RuleWatchReaderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched exceptions file ({@code rules.exceptions}) on real files: a change to it alone is a
 * new snapshot whose EXCEPTIONS entry the compiled rules apply, and an exceptions file that does
 * not load is reported once and never emitted (the rules and exceptions in force stay).
 */
class ExceptionsWatchTest {
    static final String EXCEPTION = """
            exceptions:
              - id: ex-qa
                rule: %s
                field: device.udid
                values: [qa-device]
            """;

    @TempDir
    Path dir;

    @Test
    void aChangeToTheExceptionsFileAloneIsEmittedAndABrokenOneReportedOnce() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/brute.yml"), RuleWatchReaderTest.RULE.formatted(5));
        Path exceptions = dir.resolve("exceptions.yml");
        Files.writeString(exceptions, "exceptions: []\n");
        WatchedRules watched = new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1,
                Duration.ofMillis(20)).withExceptions(Path.of("exceptions.yml"));
        RuleSnapshot initial = watched.read();
        assertThat(initial.entries(RuleSnapshot.Kind.EXCEPTIONS)).singleElement()
                .satisfies(e -> assertThat(e.name()).isEqualTo(exceptions.toString()));
        assertThat(watched.compile(initial).exceptions()).isEmpty();

        RuleWatchReader reader = new RuleWatchReader(watched, new TestingReaderContext());
        TestingReaderOutput<RuleSnapshot> out = new TestingReaderOutput<>();
        try {
            reader.addSplits(List.of(new RuleWatchSplit(initial.digest())));
            assertThat(afterLooks(reader, out, 3)).as("unchanged files").isEmpty();

            // only the exceptions file changes
            Files.writeString(exceptions, EXCEPTION.formatted("brute-force"));
            await("the change", () -> reader.isAvailable().isDone());
            List<RuleSnapshot> changed = afterLooks(reader, out, 1);
            assertThat(changed).singleElement().satisfies(s -> {
                assertThat(s.entries(RuleSnapshot.Kind.SIGMA)).isEqualTo(initial.entries(RuleSnapshot.Kind.SIGMA));
                assertThat(s.entries(RuleSnapshot.Kind.EXCEPTIONS)).singleElement()
                        .satisfies(e -> assertThat(e.text()).contains("qa-device"));
                assertThat(watched.compile(s).exceptions()).singleElement()
                        .satisfies(e -> assertThat(e.id()).isEqualTo("ex-qa"));
            });
            assertThat(reader.snapshotState(1)).containsExactly(new RuleWatchSplit(changed.get(0).digest()));

            // an exception naming a rule that is not loaded: reported once, nothing emitted
            Files.writeString(exceptions, EXCEPTION.formatted("brute-forse"));
            await("the failure reported", () -> reader.failuresReported() == 1);
            assertThat(afterLooks(reader, out, 5)).as("an exceptions file that does not load").isEmpty();
            assertThat(reader.failuresReported()).as("reported once, not at every look").isEqualTo(1);
            assertThat(reader.snapshotState(2)).as("the snapshot in force stays")
                    .containsExactly(new RuleWatchSplit(changed.get(0).digest()));
        } finally {
            reader.close();
        }
    }
}
