package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/** {@code fendersec report} through picocli: exit codes and what it prints. */
class ReportCommandTest {
    @TempDir
    Path dir;

    static String alertLine(String rule) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return AlertJson.toJson(Alert.builder().alertId(Alert.idFor(rule, "app-1", Map.of(), t.toEpochMilli()))
                .ruleId(rule).title(rule).severity("high").app("app-1").window(t.toEpochMilli(), t.toEpochMilli())
                .seen(t.toEpochMilli(), t.toEpochMilli()).count(1).build());
    }

    @Test
    void writesThePageAndReportsBadLinesWithoutFailing() throws Exception {
        Path alerts = Files.createDirectories(dir.resolve("alerts/2026-03-01--10"));
        Files.writeString(alerts.resolve("part-1-0"), alertLine("a") + "\n" + alertLine("b") + "\noops\n");
        Path out = dir.resolve("site/report.html");
        RulesCommandTest.Result r = RulesCommandTest.run("report", dir.resolve("alerts").toString(), "--out", out.toString(),
                "--title", "Nightly");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report: 2 alerts, 2 rules, from 1 file(s) -> " + out);
        assertThat(r.err()).contains("skipped 1 line(s) that are not alerts", "part-1-0:3: not JSON");
        assertThat(Files.readString(out)).contains("<title>Nightly</title>");
    }

    /** The page's embedded data, as the page's script reads it. */
    static com.fasterxml.jackson.databind.JsonNode pageData(Path page) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", java.util.regex.Pattern.DOTALL)
                .matcher(Files.readString(page));
        assertThat(m.find()).isTrue();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(1));
    }

    @Test
    void coverageIsTheBuiltinPacksOrTheJobsRules() throws Exception {
        Path alerts = Files.writeString(dir.resolve("a.jsonl"), alertLine("a") + "\n");
        Path out = dir.resolve("r.html");
        RulesCommandTest.Result builtin = RulesCommandTest.run("report", alerts.toString(), "--out", out.toString());
        assertThat(builtin.code()).as(builtin.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode data = pageData(out);
        assertThat(data.get("coverageOf").asText()).isEqualTo("the built-in pack");
        // 12 alerting rules of the first pack, device-clock-behind and login-failure-surge (issues 26, 27),
        // 44 of the mobile pack (issue 30)
        assertThat(data.get("coverage").get("totals").get("rules").asInt()).isEqualTo(58);
        assertThat(data.get("coverage").get("tactics").get(8).get("rules").toString()).contains("brute-force");

        Files.writeString(dir.resolve("mine.yml"), """
                title: Exfil
                name: exfil
                tags: [attack.exfiltration, attack.t1041]
                detection: {sel: {text|contains: upload}, condition: sel}
                """);
        Path job = Files.writeString(dir.resolve("job.yaml"), "source: {emulator: {seed: 1}}\nrules: {builtin: [], sigma: [mine.yml]}\n");
        RulesCommandTest.Result fromJob = RulesCommandTest.run("report", alerts.toString(), "--out", out.toString(),
                "--job", job.toString());
        assertThat(fromJob.code()).as(fromJob.err()).isZero();
        data = pageData(out);
        assertThat(data.get("coverageOf").asText()).isEqualTo("the rules of job " + job);
        assertThat(data.get("coverage").get("totals").get("rules").asInt()).isEqualTo(1);
        assertThat(data.get("coverage").get("tactics").get(13).get("rules").toString()).isEqualTo("[\"exfil\"]");

        Files.writeString(dir.resolve("mine.yml"), "title: x\nname: x\ndetection: {condition: nope}\n");
        RulesCommandTest.Result bad = RulesCommandTest.run("report", alerts.toString(), "--out", dir.resolve("b.html").toString(),
                "--job", job.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("mine.yml");
        assertThat(dir.resolve("b.html")).doesNotExist();
    }

    @Test
    void aMissingInputIsExitTwoWithOneLineNamingIt() {
        Path missing = dir.resolve("out/demo/alerts");
        RulesCommandTest.Result r = RulesCommandTest.run("report", missing.toString(), "--out", dir.resolve("r.html").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().contains(missing.toString(), "does not exist");
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    @Test
    void anOutThatIsAFolderIsExitTwo() throws Exception {
        Files.writeString(dir.resolve("a.jsonl"), alertLine("a") + "\n");
        RulesCommandTest.Result r = RulesCommandTest.run("report", dir.resolve("a.jsonl").toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is a folder");
    }

    @Test
    void anEmptyFolderGivesAnEmptyPageAndSaysSo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("alerts"));
        RulesCommandTest.Result r = RulesCommandTest.run("report", empty.toString(), "--out", dir.resolve("r.html").toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("no alert files");
        assertThat(r.out()).contains("report: 0 alerts");
    }

    // Issue 27 §3. Mutation caught: the page written with Files.writeString under the process umask
    // (0644, folder 0755), as before; or --permissions umask ignored. Seen failing before the fix.
    @Test
    void thePageIsOwnerOnlyUnlessTheUmaskIsAskedFor() throws Exception {
        Path alerts = Files.writeString(dir.resolve("a.jsonl"), alertLine("a") + "\n");
        Path out = dir.resolve("site/report.html");
        RulesCommandTest.Result r = RulesCommandTest.run("report", alerts.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(out.getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        // A page left world-readable by an earlier run is tightened when written again.
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(RulesCommandTest.run("report", alerts.toString(), "--out", out.toString()).code()).isZero();
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        Path loose = dir.resolve("loose.html");
        RulesCommandTest.Result u = RulesCommandTest.run("report", alerts.toString(), "--out", loose.toString(),
                "--permissions", "umask");
        assertThat(u.code()).as(u.err()).isZero();
        assertThat(Files.getPosixFilePermissions(loose)).contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ);
    }
}
