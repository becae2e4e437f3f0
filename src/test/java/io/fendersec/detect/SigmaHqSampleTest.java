package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.model.LogRecord;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.rule.RuleSet;

/**
 * Real rules from the public SigmaHQ repository (src/test/resources/sigmahq, DRL 1.1, see its
 * NOTICE.md), loaded as a user would: rules for other products are skipped with their reason,
 * and with the logsource bypassed every one loads and matches what its authors meant.
 */
class SigmaHqSampleTest {
    private static final Path DIR = Paths.get("src/test/resources/sigmahq");

    private static RuleSet load(boolean anyLogsource) {
        return RuleLoader.create().anyLogsource(anyLogsource)
                .placeholders(Map.of("ServerSystems", List.of("srv-*"), "DomainControllers", List.of("dc-*"),
                        "Workstations", List.of("ws-*")))
                .files(List.of(DIR.toString())).load();
    }

    private static NormalizedLog log(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new NormalizedLog(LogRecord.of(m), Map.of());
    }

    private static boolean fires(RuleSet rules, String id, NormalizedLog log) {
        return ((DetectionRule) rules.rule(id)).matches(log);
    }

    private static String b64(String s, java.nio.charset.Charset cs) {
        return Base64.getEncoder().encodeToString(s.getBytes(cs));
    }

    @Test
    void rulesForOtherProductsAreSkippedWithTheirProduct() {
        RuleSet rules = load(false);
        assertThat(rules.detections()).extracting(r -> r.info().title()).containsExactlyInAnyOrder(
                "Antivirus - Relevant File Paths Alerts Signature", "Suspicious Network Communication With IPFS",
                "Malware User Agent", "Suspicious External WebDAV Execution");
        assertThat(rules.skipped()).hasSize(10);
        assertThat(rules.skipped()).extracting(RuleSet.Skipped::reason)
                .anyMatch(r -> r.contains("'windows'")).anyMatch(r -> r.contains("'zeek'"))
                .anyMatch(r -> r.contains("'cisco'")).anyMatch(r -> r.contains("'okta'"))
                .anyMatch(r -> r.contains("'linux'"));
    }

    @Test
    void everySampleRuleLoadsAndMatchesAsWritten() {
        RuleSet rules = load(true);
        assertThat(rules.detections()).hasSize(14);
        // backslash paths under contains
        String av = "c9a88268-0047-4824-ba6e-4d81ce0b907c";
        assertThat(fires(rules, av, log("Filename", "C:\\Temp\\evil.bin"))).isTrue();
        assertThat(fires(rules, av, log("Filename", "c:\\users\\public\\x.dll"))).isTrue();
        assertThat(fires(rules, av, log("Filename", "d:\\data\\report.pdf"))).isFalse();
        // base64offset|contains, at every offset
        String b64 = "fdb62a13-9a81-4e5c-a38f-ea93a16f6d7c";
        for (String pre : List.of("", "x", "xy")) {
            String cmd = "powershell -c " + b64(pre + "$d=[Convert]::FromBase64String($x)", StandardCharsets.UTF_8);
            assertThat(fires(rules, b64, log("CommandLine", cmd))).as(pre).isTrue();
        }
        assertThat(fires(rules, b64, log("CommandLine", b64("Get-ChildItem", StandardCharsets.UTF_8)))).isFalse();
        // wide|base64offset|contains under 1 of
        String sp = "7477881c-ec3b-49d6-aced-7255944e5c59";
        String enc = b64("iex (gc C:\\x\\spinstall0.aspx)", StandardCharsets.UTF_16LE);
        assertThat(fires(rules, sp, log("ParentImage", "C:\\w\\w3wp.exe", "CommandLine", "powershell -enc " + enc)))
                .isTrue();
        assertThat(fires(rules, sp, log("ParentImage", "C:\\w\\cmd.exe", "CommandLine", "powershell -enc " + enc)))
                .isFalse();
        // fieldref with not 1 of filters on null and empty users
        String cross = "d2b7a134-9c3e-4f8a-b56d-e0c1f8a29b47";
        assertThat(fires(rules, cross, log("Image", "C:\\Windows\\notepad.exe", "User", "a", "ParentUser", "b")))
                .isTrue();
        assertThat(fires(rules, cross, log("Image", "C:\\Windows\\notepad.exe", "User", "a", "ParentUser", "A")))
                .isFalse();
        assertThat(fires(rules, cross, log("Image", "C:\\Windows\\notepad.exe", "User", "a"))).isFalse();
        // keyword list with |all
        String bgp = "56fa3cd6-f8d6-4520-a8c7-607292971886";
        assertThat(fires(rules, bgp, log("text", "%TCP-6-BADAUTH from 10.0.0.1:179 IP-TCP-3-BADAUTH"))).isTrue();
        assertThat(fires(rules, bgp, log("text", "IP-TCP-3-BADAUTH"))).isFalse();
        // windash
        String unreg = "727454c0-d851-48b0-8b89-385611ab0704";
        assertThat(fires(rules, unreg, log("Image", "C:\\unregmp2.exe", "CommandLine", "unregmp2.exe \u2013HideWMP")))
                .isTrue();
        assertThat(fires(rules, unreg, log("Image", "C:\\unregmp2.exe", "CommandLine", "unregmp2.exe HideWMP")))
                .isFalse();
    }
}
