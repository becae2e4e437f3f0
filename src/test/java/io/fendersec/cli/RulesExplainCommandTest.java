package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fendersec rules explain} through picocli: exit codes, the unknown-rule message, escaped
 * device text. Expectations by hand from the rules and logs below; each test names the mutation
 * it catches (each seen failing).
 */
class RulesExplainCommandTest {
    static final String RULES = """
            title: Failed login
            name: failed-login
            detection:
              sel: {text|contains: 'login failed'}
              condition: sel
            ---
            title: Guessing on one device
            name: guessing
            correlation:
              type: event_count
              rules: [failed-login]
              group-by: [device.udid]
              timespan: 5m
              condition: {gte: 3}
            """;

    static String log(String uuid, String time, String text) {
        return "{\"uuid\":\"" + uuid + "\",\"app\":7,\"device.udid\":\"d1\",\"time\":\"2026-03-01T" + time
                + "Z\",\"log_level\":2,\"text\":\"" + text + "\"}";
    }

    /** Catches: exit codes swapped or a miss reported as 0 (a script would read "matched"). */
    @Test
    void detectionExitsZeroOnAMatchAndOneOnAMiss(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path hit = Files.writeString(dir.resolve("hit.json"), log("u1", "10:00:00", "Login FAILED for bob"));
        Path miss = Files.writeString(dir.resolve("miss.json"), log("u2", "10:00:00", "login ok"));
        RulesCommandTest.Result m = RulesCommandTest.run("rules", "explain", "failed-login", "--sigma", rules.toString(),
                "--no-builtin", "--log", hit.toString());
        assertThat(m.code()).as(m.err()).isEqualTo(0);
        assertThat(m.out()).contains("[held]   sel: text|contains: 'login failed'   text = \"Login FAILED for bob\"")
                .contains("result: MATCH");
        RulesCommandTest.Result n = RulesCommandTest.run("rules", "explain", "failed-login", "--sigma", rules.toString(),
                "--no-builtin", "--log", miss.toString());
        assertThat(n.code()).isEqualTo(1);
        assertThat(n.out()).contains("first failing test: sel > text|contains: 'login failed'   text = \"login ok\"")
                .contains("result: NO MATCH");
    }

    /**
     * Three failures at 10:00, 10:02, 10:04 for d1: the span ending at 10:04 counts 3 (gte 3) and
     * fires. Catches: --uuid required for a correlation, the verdict not driving the exit code.
     */
    @Test
    void correlationOverALogsFileAndThePickedLogOfADetection(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path logs = Files.writeString(dir.resolve("logs.ndjson"), String.join("\n", log("a", "10:00:00", "login failed"),
                log("b", "10:02:00", "login failed"), log("c", "10:04:00", "login failed"), log("d", "10:05:00", "ok")));
        RulesCommandTest.Result c = RulesCommandTest.run("rules", "explain", "guessing", "--sigma", rules.toString(),
                "--no-builtin", "--logs", logs.toString());
        assertThat(c.code()).as(c.err()).isEqualTo(0);
        assertThat(c.out()).contains("span 2026-03-01T09:59:00Z .. 2026-03-01T10:04:00Z  events 3 vs gte 3  FIRED")
                .contains("span 2026-03-01T09:57:00Z .. 2026-03-01T10:02:00Z  events 2 vs gte 3  no")
                .contains("result: FIRED");
        RulesCommandTest.Result d = RulesCommandTest.run("rules", "explain", "failed-login", "--sigma", rules.toString(),
                "--no-builtin", "--logs", logs.toString(), "--uuid", "d");
        assertThat(d.code()).isEqualTo(1);
        RulesCommandTest.Result unknownUuid = RulesCommandTest.run("rules", "explain", "failed-login", "--sigma",
                rules.toString(), "--no-builtin", "--logs", logs.toString(), "--uuid", "zz");
        assertThat(unknownUuid.code()).isEqualTo(2);
        assertThat(unknownUuid.err()).contains("no log with uuid 'zz' in " + logs + " (4 logs)");
    }

    /** Catches: an unknown rule run as "no match" (exit 1) or named without the close ones. */
    @Test
    void anUnknownRuleIsAConfigErrorNamingTheClosest(@TempDir Path dir) throws Exception {
        Path hit = Files.writeString(dir.resolve("hit.json"), log("u1", "10:00:00", "x"));
        RulesCommandTest.Result r = RulesCommandTest.run("rules", "explain", "brute-forse", "--log", hit.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no rule 'brute-forse' is loaded; closest: brute-force");
    }

    /** Catches: a rule name or a log value printed raw (ESC and newline reach the terminal). */
    @Test
    void controlCharactersAreEscaped(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path hit = Files.writeString(dir.resolve("hit.json"),
                log("u1", "10:00:00", "login failed\\u001b]0;owned\\u0007\\nresult: MATCH"));
        RulesCommandTest.Result r = RulesCommandTest.run("rules", "explain", "failed-login", "--sigma", rules.toString(),
                "--no-builtin", "--log", hit.toString());
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("login failed\\u001b]0;owned\\u0007\\nresult: MATCH\"");
        RulesCommandTest.Result unknown = RulesCommandTest.run("rules", "explain", "x\u001b[2Jy", "--log", hit.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).doesNotContain("\u001b").contains("x\\u001b[2Jy");
    }
}
