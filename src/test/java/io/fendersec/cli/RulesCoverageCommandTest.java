package io.fendersec.cli;

import static io.fendersec.cli.RulesCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code fendersec rules coverage} end to end through picocli: table, JSON, Markdown, exit codes, hostile rule text. */
class RulesCoverageCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final String RULES = """
            title: Failed login
            name: failed-login
            tags: [attack.credential-access, attack.t1110, owasp.masvs.auth-1]
            detection:
              sel: {text|contains: 'login failed'}
              condition: sel
            ---
            title: Brute force
            name: my-brute-force
            tags: [attack.credential_access, attack.t1110.001, attack.g0001]
            correlation:
              type: event_count
              rules: [failed-login]
              group-by: [source.ip]
              timespan: 5m
              condition: {gte: 5}
            ---
            title: "Exfil \\u001b[2J\\u202e|<b>"
            name: "exfil-\\u001b]0;pwned\\u0007"
            tags: [attack.exfiltration, attack.t1041, attack.s0002, cve.2021-44228, owasp.masvs.privacy]
            detection:
              sel: {text|contains: upload}
              condition: sel
            """;

    static Path rules(Path dir) throws Exception {
        return Files.writeString(dir.resolve("r.yml"), RULES);
    }

    @Test
    void tableListsEveryTacticInMatrixOrderWithGapsAndMasvs(@TempDir Path dir) throws Exception {
        RulesCommandTest.Result r = run("rules", "coverage", rules(dir).toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("MITRE ATT&CK: 2 of 15 tactics covered, 2 techniques, by 2 of 2 rules"
                + " (1 helper rule(s) that raise no alerts of their own not counted)");
        List<String> tacticLines = new ArrayList<>();
        lines.stream().filter(l -> l.matches("^[a-z-]+ +TA\\d{4}.*")).forEach(tacticLines::add);
        assertThat(tacticLines).extracting(l -> l.split(" +")[0]).containsExactly("reconnaissance", "resource-development",
                "initial-access", "execution", "persistence", "privilege-escalation", "stealth", "defense-impairment",
                "credential-access", "discovery", "lateral-movement", "collection", "command-and-control",
                "exfiltration", "impact");
        assertThat(r.out()).containsPattern("reconnaissance +TA0043 +- +- +GAP");
        assertThat(r.out()).containsPattern("initial-access +TA0001 +TA0027 +- +GAP");
        // failed-login is a helper of brute-force: its T1110 and MASVS-AUTH-1 are not what alerts carry.
        assertThat(r.out()).containsPattern("credential-access +TA0006 +TA0031 +T1110\\.001 +my-brute-force\n");
        assertThat(r.out()).doesNotContainPattern("T1110 ");
        assertThat(r.out()).containsPattern("exfiltration +TA0010 +TA0036 +T1041 +exfil-\\\\u001b]0;pwned\\\\u0007\n");
        assertThat(r.out()).contains("OWASP MASVS: 0 of 24 controls covered");
        assertThat(r.out()).containsPattern("MASVS-PRIVACY +exfil-\\S+ \\(the group as a whole\\)");
        assertThat(r.out()).containsPattern("MASVS-AUTH-1 +GAP");
        assertThat(r.out()).contains("ignored 2 attack.* tag(s)").contains("attack.g0001, attack.s0002");
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void builtinPackByDefault() {
        RulesCommandTest.Result r = run("rules", "coverage");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        // 12 rules of the first pack, device-clock-behind (issue 27), login-failure-surge (issue 26) and 44 of the mobile pack (issue 30), counted
        // from rules/*.yml by hand; one
        // (obfuscation-missing, a weakness, not an attack) has no ATT&CK tag.
        assertThat(r.out()).containsPattern("MITRE ATT&CK: 11 of 15 tactics covered, \\d+ techniques, by 57 of 58 rules \\(18 helper");
        // The Mobile matrix's 12 tactics: all but lateral movement and exfiltration.
        assertThat(r.out()).contains("ATT&CK for Mobile: 10 of 12 tactics covered, ");
        assertThat(r.out()).containsPattern("lateral-movement +TA0008 +TA0033 +- +GAP");
        assertThat(r.out()).containsPattern("exfiltration +TA0010 +TA0036 +- +GAP");
        assertThat(r.out()).containsPattern("MASVS-STORAGE-2 +secret-in-log");
        assertThat(r.out()).containsPattern("MASVS-AUTH-1 +brute-force, credential-stuffing, account-many-devices, "
                + "login-failure-surge, brute-force-success, impossible-travel \\(\\+2 more\\)\n");
        assertThat(r.out()).containsPattern("MASVS-AUTH-2 +biometric-enrollment-changed\n");
        assertThat(r.out()).containsPattern("MASVS-AUTH-3 +otp-brute-force\n");
        assertThat(r.out()).containsPattern("MASVS-NETWORK-1 +cleartext-http, tls-certificate-error\n");
        assertThat(r.out()).containsPattern("MASVS-RESILIENCE-3 +obfuscation-missing\n");
        assertThat(r.out()).containsPattern("impact +TA0040 +TA0034 +T1499 +error-spike");
        assertThat(r.out()).containsPattern("MASVS-CRYPTO-1 +GAP");
    }

    @Test
    void jsonHasEveryTacticAndControlAndTheRulesInFull(@TempDir Path dir) throws Exception {
        RulesCommandTest.Result r = run("rules", "coverage", rules(dir).toString(), "--builtin", "--format", "json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode n = MAPPER.readTree(r.out());
        assertThat(n.get("tactics")).hasSize(15);
        JsonNode credential = n.get("tactics").get(8);
        assertThat(credential.get("name").asText()).isEqualTo("credential-access");
        assertThat(credential.get("mobileId").asText()).isEqualTo("TA0031");
        assertThat(credential.get("rules").toString()).contains("\"my-brute-force\"", "\"brute-force\"", "\"secret-in-log\"");
        assertThat(n.get("masvs")).hasSize(8);
        assertThat(n.get("totals").get("masvsControls").asInt()).isEqualTo(24);
        assertThat(n.get("ignoredAttackTags").toString()).isEqualTo("[\"attack.g0001\",\"attack.s0002\"]");
        assertThat(r.out()).doesNotContain("\u001b"); // JSON escapes, TerminalText.json the rest
        assertThat(n.get("rules").findValuesAsText("title")).contains("Exfil \u001b[2J\u202e|<b>");
    }

    @Test
    void markdownEscapesCellsAndMarksGaps(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pipe.yml"), """
                title: Pipe
                name: "a|b<img src=x>`c"
                tags: [attack.collection, attack.t1005]
                detection: {sel: {text|contains: x}, condition: sel}
                """);
        RulesCommandTest.Result r = run("rules", "coverage", rules(dir).toString(), dir.resolve("pipe.yml").toString(),
                "--format", "markdown");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("| Reconnaissance (`reconnaissance`) | TA0043 | – | – | **gap** |");
        assertThat(r.out()).contains("| Credential Access (`credential-access`) | TA0006 | TA0031 | T1110.001 | my-brute-force |");
        assertThat(r.out()).contains("| MASVS-CRYPTO-1 | The app employs current strong cryptography");
        assertThat(r.out()).contains("| T1005 | a\\|b&lt;img src=x&gt;\\`c |").doesNotContain("<img");
    }

    @Test
    void sqlRulesAndJobFilesCount(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("many.sql"), """
                -- rule: device-many-accounts
                -- tags: attack.t1078, attack.initial_access, masvs.auth-1
                SELECT app, window_start FROM logs
                """);
        RulesCommandTest.Result sql = run("rules", "coverage", "--sql", dir + "/*.sql");
        assertThat(sql.code()).as(sql.err()).isEqualTo(0);
        assertThat(sql.out()).startsWith("MITRE ATT&CK: 1 of 15 tactics covered, 1 techniques, by 1 of 1 rules\n");
        assertThat(sql.out()).containsPattern("initial-access +TA0001 +TA0027 +T1078 +device-many-accounts");
        assertThat(sql.out()).containsPattern("MASVS-AUTH-1 +device-many-accounts");

        rules(dir);
        Path job = Files.writeString(dir.resolve("job.yaml"), """
                source: {emulator: {seed: 1}}
                rules: {builtin: [secret-in-log], sigma: [r.yml], sql: ['*.sql']}
                """);
        RulesCommandTest.Result fromJob = run("rules", "coverage", "--job", job.toString());
        assertThat(fromJob.code()).as(fromJob.err()).isEqualTo(0);
        assertThat(fromJob.out()).contains("by 4 of 4 rules");
        assertThat(fromJob.out()).containsPattern("MASVS-STORAGE-2 +secret-in-log");
        assertThat(fromJob.out()).containsPattern("initial-access +TA0001 +TA0027 +T1078 +device-many-accounts");
    }

    @Test
    void badRuleFilesAndOptionsExitTwo(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yml"), "title: x\nname: x\ndetection: {condition: nope}\n");
        RulesCommandTest.Result r = run("rules", "coverage", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yml");
        assertThat(run("rules", "coverage", dir + "/none/*.yml").code()).isEqualTo(2);
        assertThat(run("rules", "coverage", "--format", "xml").code()).isEqualTo(2);
        assertThat(run("rules", "coverage", "--job", dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
        Path job = Files.writeString(dir.resolve("job.yaml"), "source: {emulator: {seed: 1}}\n");
        RulesCommandTest.Result both = run("rules", "coverage", "--job", job.toString(), bad.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--job takes the job's rules");
    }
}
