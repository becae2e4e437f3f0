package io.fendersec.detect.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.detect.enrich.LookupFile;
import io.fendersec.detect.enrich.LookupFormat;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

/**
 * The rule watch source's reader over lookup files on real files: a changed table is a new
 * snapshot with its {@link RuleSnapshot.Kind#LOOKUP} entry, a table that does not parse is
 * reported once (naming file and line) and not emitted, and fixing it is a change again.
 */
class LookupWatchReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    static final String RULE = """
            title: VIP sign-in
            name: vip-login
            detection: {sel: {vip.tier: gold}, condition: sel}
            """;
    static final String VIP = "account,tier\nben@example.com,silver\n";

    @TempDir
    Path dir;

    WatchedRules watched() {
        return new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1, Duration.ofMillis(20))
                .withLookups(List.of(new LookupFile(dir.resolve("vip.csv").toString(), "user.name", "vip", null,
                        KeyMatch.EXACT, LookupFormat.CSV)), null, Normalizer.defaults());
    }

    static LogRecord login(String user) {
        return LogRecord.builder().put("uuid", "u1").put("app", "app1").put("device.udid", "d1").put("log_level", 4L)
                .put("text", "Login succeeded for " + user + " from 192.0.2.1")
                .put("time", Instant.parse("2026-03-01T10:00:00Z").toString()).build();
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
    void readTakesOneLookupEntryPerLookupFile() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/vip.yml"), RULE);
        Files.writeString(dir.resolve("vip.csv"), VIP);
        RuleSnapshot s = watched().read();
        assertThat(s.entries(RuleSnapshot.Kind.LOOKUP)).containsExactly(new RuleSnapshot.Entry(
                RuleSnapshot.Kind.LOOKUP, dir.resolve("vip.csv").toString(), VIP));
        assertThat(watched().normalizer(s).normalize(login("ben@example.com")).get("vip.tier")).isEqualTo("silver");

        Files.delete(dir.resolve("vip.csv"));
        assertThatThrownBy(() -> watched().read()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("enrich.lookups[0].file: no file " + dir.resolve("vip.csv"));
    }

    @Test
    void emitsAChangedTableAndReportsABrokenOneOnce() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/vip.yml"), RULE);
        Path table = dir.resolve("vip.csv");
        Files.writeString(table, VIP);
        WatchedRules watched = watched();
        RuleSnapshot initial = watched.read();
        RuleWatchReader reader = new RuleWatchReader(watched, new TestingReaderContext());
        TestingReaderOutput<RuleSnapshot> out = new TestingReaderOutput<>();
        try {
            reader.addSplits(List.of(new RuleWatchSplit(initial.digest())));
            assertThat(afterLooks(reader, out, 3)).as("unchanged files").isEmpty();

            String withAna = VIP + "ana@example.com,gold\n";
            Files.writeString(table, withAna);
            await("the change", () -> reader.isAvailable().isDone());
            List<RuleSnapshot> changed = afterLooks(reader, out, 1);
            assertThat(changed).singleElement().satisfies(s -> {
                assertThat(s.entries(RuleSnapshot.Kind.LOOKUP)).singleElement()
                        .satisfies(e -> assertThat(e.text()).isEqualTo(withAna));
                assertThat(s.entries(RuleSnapshot.Kind.SIGMA)).as("the rules as they were").hasSize(1);
                assertThat(watched.normalizer(s).normalize(login("ana@example.com")).get("vip.tier")).isEqualTo("gold");
            });
            assertThat(reader.snapshotState(1)).containsExactly(new RuleWatchSplit(changed.get(0).digest()));

            // line 4 has no key: the source tests the tables as the operators build them
            Files.writeString(table, withAna + ",platinum\n");
            assertThatThrownBy(() -> watched.check(watched.read())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("enrich.lookups[0].file: " + table + " line 4: no value in the key column");
            await("the failure reported", () -> reader.failuresReported() == 1);
            assertThat(afterLooks(reader, out, 5)).as("a table that does not parse").isEmpty();
            assertThat(reader.failuresReported()).as("reported once, not at every look").isEqualTo(1);
            assertThat(reader.snapshotState(2)).as("the tables in force stay")
                    .containsExactly(new RuleWatchSplit(changed.get(0).digest()));

            String fixed = withAna + "cy@example.com,platinum\n";
            Files.writeString(table, fixed);
            await("the fixed table", () -> reader.isAvailable().isDone());
            assertThat(afterLooks(reader, out, 1)).singleElement().satisfies(s -> assertThat(
                    s.entries(RuleSnapshot.Kind.LOOKUP).get(0).text()).isEqualTo(fixed));
        } finally {
            reader.close();
        }
    }

    @Test
    void aJobWithoutLookupsKeepsItsDigests() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/vip.yml"), RULE);
        WatchedRules plain = new WatchedRules(dir, List.of("rules/*.yml"), List.of(), Map.of(), Map.of(), 1,
                Duration.ofMillis(20));
        WatchedRules noLookups = plain.withLookups(List.of(), null, Normalizer.defaults());
        // checkpoints of jobs without lookups hold these digests: a restored job must not see a change
        assertThat(noLookups.read().digest()).isEqualTo(plain.read().digest());
        assertThat(noLookups.watchesLookups()).isFalse();
    }
}
