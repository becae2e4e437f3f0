package io.fendersec.detect.reload;

import static io.fendersec.detect.reload.RuleWatchReaderTest.afterLooks;
import static io.fendersec.detect.reload.RuleWatchReaderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.files.TextFiles;

/**
 * A rule file over the size cap dropped into a watched folder: one WARN naming the file and the
 * cap, the rules in force stay, and later changes are still applied once it is gone. The big file
 * is sparse ({@link RandomAccessFile#setLength}): 2 GiB of size, no data written.
 */
class RuleWatchOversizeTest {
    static final String RULE = RuleWatchReaderTest.RULE;

    @TempDir
    Path dir;

    static void sparse(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /**
     * Mutations caught: rule files read with {@code Files.readString} (no cap) — its
     * {@code OutOfMemoryError("Required array size too large")} escaped the looker's
     * {@code catch (RuntimeException)} and cancelled the scheduled look: no WARN, no failure
     * counted, and the later change never applied (both awaits time out); the cap without the
     * file's name or the cap in the message fails the WARN assertion.
     */
    @Test
    void aTwoGibRuleFileIsReportedOnceAndLaterChangesAreStillApplied() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Path file = dir.resolve("rules/brute.yml");
        Files.writeString(file, RULE.formatted(5));
        WatchedRules watched = new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1,
                Duration.ofMillis(20));
        RuleSnapshot initial = watched.read();
        List<String> warnings = new CopyOnWriteArrayList<>();
        AbstractAppender appender = capture(warnings);
        RuleWatchReader reader = new RuleWatchReader(watched, new TestingReaderContext());
        TestingReaderOutput<RuleSnapshot> out = new TestingReaderOutput<>();
        try {
            reader.addSplits(List.of(new RuleWatchSplit(initial.digest())));
            Path big = dir.resolve("rules/huge.yml");
            sparse(big, (2L << 30) + 1);
            await("the oversized file reported", () -> reader.failuresReported() == 1);
            assertThat(afterLooks(reader, out, 5)).as("nothing applied while it is there").isEmpty();
            assertThat(reader.failuresReported()).as("reported once, not at every look").isEqualTo(1);
            assertThat(warnings).singleElement().asString()
                    .contains(big + " is " + ((2L << 30) + 1) + " bytes, more than the "
                            + TextFiles.MAX_RULE_FILE_BYTES + " bytes (16 MiB) a rule file may hold")
                    .doesNotContain("\n");

            Files.delete(big);
            Files.writeString(file, RULE.formatted(9));
            await("the later change", () -> reader.isAvailable().isDone());
            List<RuleSnapshot> changed = afterLooks(reader, out, 1);
            assertThat(changed).singleElement().satisfies(s ->
                    assertThat(watched.compile(s).correlations().get(0).condition().toString()).contains("9"));
        } finally {
            reader.close();
            detach(appender);
        }
    }

    /**
     * Just over the cap (16 MiB + 1, sparse) is refused as well, and an exceptions file too.
     * Mutation caught: the cap compared with {@code >=} one MiB off, or only rule files capped
     * (the exceptions file read in full).
     */
    @Test
    void justOverTheCapIsRefusedForRuleAndExceptionsFiles() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Path file = dir.resolve("rules/brute.yml");
        Files.writeString(file, RULE.formatted(5));
        Path exceptions = dir.resolve("exceptions.yml");
        Files.writeString(exceptions, "exceptions: []\n");
        WatchedRules watched = new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1,
                Duration.ofMillis(20)).withExceptions(exceptions);
        watched.read(); // within the caps
        sparse(file, TextFiles.MAX_RULE_FILE_BYTES + 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(watched::read)
                .hasMessageContaining(file + " is " + (TextFiles.MAX_RULE_FILE_BYTES + 1) + " bytes, more than the");
        Files.writeString(file, RULE.formatted(5));
        sparse(exceptions, TextFiles.MAX_RULE_FILE_BYTES + 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(watched::read)
                .hasMessageStartingWith("rules.exceptions: " + exceptions + " is ")
                .hasMessageContaining("an exceptions file may hold");
    }

    static AbstractAppender capture(List<String> into) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        AbstractAppender a = new AbstractAppender("rule-watch-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)
                        && event.getLoggerName().equals(RuleWatchReader.class.getName())) {
                    into.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        a.start();
        cfg.addAppender(a);
        cfg.getRootLogger().addAppender(a, Level.ALL, null);
        // The test class path may configure logging off (a log4j2-test.properties in a Flink test jar).
        Configurator.setLevel(RuleWatchReader.class.getName(), Level.WARN);
        ctx.updateLoggers();
        return a;
    }

    static void detach(AbstractAppender a) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(a.getName());
        ctx.updateLoggers();
        a.stop();
    }
}
