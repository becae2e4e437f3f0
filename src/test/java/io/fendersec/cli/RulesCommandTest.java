package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code fendersec rules list|test} end to end through picocli, exit codes included. */
class RulesCommandTest {
    static final String RULES = """
            title: Failed login
            name: failed-login
            detection:
              sel: {text|contains: 'login failed'}
              condition: sel
            ---
            title: Brute force
            name: brute-force
            level: high
            correlation:
              type: event_count
              rules: [failed-login]
              group-by: [source.ip]
              timespan: 5m
              condition: {gte: 5}
            """;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path logs(Path dir, int failures) throws Exception {
        List<String> lines = new ArrayList<>();
        Instant t = Instant.parse("2026-03-01T10:59:00Z");
        for (int i = 0; i < failures; i++) {
            lines.add("{\"uuid\":\"u" + i + "\",\"app\":7,\"device.udid\":\"d1\",\"time\":\"" + t.plusSeconds(i * 30)
                    + "\",\"log_level\":2,\"text\":\"login failed for bob from 203.0.113.9\",\"extra\":{\"a\":1}}");
        }
        lines.add("");
        return Files.write(dir.resolve("logs.ndjson"), lines);
    }

    @Test
    void ruleFilesAreFilesFoldersOrGlobsAndDurationsHaveTheOneForm(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules/more"));
        Files.writeString(dir.resolve("rules/more/r.yml"), RULES);
        Path logs = logs(dir, 6);
        assertThat(run("rules", "test", dir + "/rules/**.yml", "--logs", logs.toString()).code()).isEqualTo(1);
        assertThat(run("rules", "test", dir + "/rules/more", "--suppression", "500ms", "--logs", logs.toString()).code())
                .isEqualTo(1);
        Result badSuppression = run("rules", "test", dir + "/rules/more", "--suppression", "1 hour", "--logs", logs.toString());
        assertThat(badSuppression.code()).isEqualTo(2);
        assertThat(badSuppression.err())
                .contains("--suppression: expected a duration such as 250ms, 10s, 5m, 1h or 7d, got '1 hour'");
        Result noSql = run("rules", "test", "--sql", dir + "/sql/*.sql", "--logs", logs.toString());
        assertThat(noSql.code()).isEqualTo(2);
        assertThat(noSql.err()).contains("--sql: '" + dir + "/sql/*.sql' matches no file");
    }

    @Test
    void testPrintsAlertsAndExitsOneWhenThereAreAlerts(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Result r = run("rules", "test", rules.toString(), "--logs", logs(dir, 6).toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode a = new ObjectMapper().readTree(lines.get(0));
        assertThat(a.get("rule_id").asText()).isEqualTo("brute-force");
        assertThat(a.get("app").asText()).isEqualTo("7");
        assertThat(a.get("group").get("source.ip").asText()).isEqualTo("203.0.113.9");
        assertThat(a.get("count").asLong()).isEqualTo(5);
        assertThat(a.get("device").asText()).isEqualTo("d1");
        assertThat(a.get("first_seen").asText()).isEqualTo("2026-03-01T10:59:00Z");
        assertThat(a.get("evidence")).hasSize(5);
    }

    @Test
    void testExitsZeroWithoutAlerts(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Result r = run("rules", "test", rules.toString(), "--logs", logs(dir, 4).toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).isEmpty();
    }

    /** Issue #13: a time beyond epoch milliseconds is an unparseable time, not a failed run (exit 5). */
    @Test
    void aTimeBeyondEpochMillisIsKeptAsUnparseable(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path logs = logs(dir, 6);
        Files.writeString(logs, "{\"uuid\":\"far\",\"app\":7,\"device.udid\":\"d1\",\"time\":"
                + "\"+999999999-12-31T23:59:59.999Z\",\"text\":\"login failed for bob from 203.0.113.9\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        Result r = run("rules", "test", rules.toString(), "--logs", logs.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("brute-force");
    }

    @Test
    void badRulesExitTwoNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES.replace("contains", "containz"));
        Result r = run("rules", "test", rules.toString(), "--logs", logs(dir, 1).toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("r.yml:4").contains("containz");
    }

    @Test
    void listPrintsIdKindLevelTitle(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("r.yml"), RULES);
        Result r = run("rules", "list", "--no-builtin", "--sigma", dir.resolve("*.yml").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("failed-login").contains("detection")
                .containsPattern("brute-force\\s+event_count\\s+high\\s+Brute force");
    }
}
