package io.fendersec.detect.sigma;

import static io.fendersec.detect.sigma.SigmaConformanceTest.detection;
import static io.fendersec.detect.sigma.SigmaConformanceTest.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.error.ConfigException;

/**
 * The Sigma v2.1 specification's value rules (escaping, sigma-rules-specification.md "Escape
 * Character") and every modifier of sigma-appendix-modifiers.md, each with positive and negative cases.
 * YAML single-quoted scalars keep backslashes as written: {@code '\\Temp\\'} in Java is {@code '\Temp\'} in the rule.
 */
class SigmaSpecConformanceTest {

    private static String sel(String key, String yamlValue) {
        return "s:\n  " + key + ": " + yamlValue + "\ncondition: s";
    }

    // ---- escaping -------------------------------------------------------------------------

    @Test
    void aBackslashBeforeAnOrdinaryCharacterIsPlainWithEveryWildcardModifier() {
        // the review's two cases: the trailing backslash must not escape the '*' that contains adds
        assertThat(matches(sel("CommandLine|contains", "'\\Temp\\'"), "CommandLine", "x \\Temp\\ y")).isTrue();
        assertThat(matches(sel("ImageLoaded|contains", "'\\Users\\Public\\'"), "ImageLoaded",
                "c:\\users\\public\\x.dll")).isTrue();
        assertThat(matches(sel("CommandLine|contains", "'\\Temp\\'"), "CommandLine", "x \\Temp* y")).isFalse();
        assertThat(matches(sel("Image|endswith", "'\\cmd.exe'"), "Image", "C:\\Windows\\cmd.exe")).isTrue();
        assertThat(matches(sel("Image|endswith", "'\\cmd.exe'"), "Image", "C:\\Windows/cmd.exe")).isFalse();
        assertThat(matches(sel("Image|startswith", "'C:\\'"), "Image", "c:\\x.exe")).isTrue();
        assertThat(matches(sel("Image|startswith", "'C:\\'"), "Image", "C:*x")).isFalse();
        assertThat(matches(sel("Image", "'C:\\dir\\'"), "Image", "C:\\dir\\")).isTrue();
        assertThat(matches(sel("Image", "'\\d\\w'"), "Image", "\\d\\w")).isTrue();
    }

    @Test
    void escapedWildcardsAreCharacters() {
        assertThat(matches(sel("text", "'a\\*b'"), "text", "a*b")).isTrue();
        assertThat(matches(sel("text", "'a\\*b'"), "text", "axxb")).isFalse();
        assertThat(matches(sel("text", "'a\\?b'"), "text", "a?b")).isTrue();
        assertThat(matches(sel("text", "'a\\?b'"), "text", "axb")).isFalse();
        assertThat(matches(sel("text|contains", "'\\*'"), "text", "x*y")).isTrue();
        assertThat(matches(sel("text|contains", "'\\*'"), "text", "xy")).isFalse();
        assertThat(matches(sel("text|endswith", "'\\?'"), "text", "why?")).isTrue();
        assertThat(matches(sel("text|endswith", "'\\?'"), "text", "why")).isFalse();
    }

    @Test
    void anEscapedBackslashBeforeAWildcardLeavesTheWildcard() {
        // \\* : a backslash, then any run
        assertThat(matches(sel("Image", "'C:\\\\*'"), "Image", "C:\\Windows\\x.exe")).isTrue();
        assertThat(matches(sel("Image", "'C:\\\\*'"), "Image", "C:/Windows")).isFalse();
        // \\\* : a backslash and a star, both plain
        assertThat(matches(sel("text", "'a\\\\\\*'"), "text", "a\\*")).isTrue();
        assertThat(matches(sel("text", "'a\\\\\\*'"), "text", "a\\xyz")).isFalse();
        // \\ alone is one backslash (as is \ alone); \\\ and \\\\ are two
        assertThat(matches(sel("text", "'a\\\\b'"), "text", "a\\b")).isTrue();
        assertThat(matches(sel("text", "'a\\\\\\b'"), "text", "a\\\\b")).isTrue();
        assertThat(matches(sel("text", "'a\\\\\\\\b'"), "text", "a\\\\b")).isTrue();
        assertThat(matches(sel("text", "'a\\\\\\\\b'"), "text", "a\\b")).isFalse();
        assertThat(matches(sel("text|endswith", "'x\\'"), "text", "a x\\")).isTrue();
    }

    @Test
    void escapingHoldsUnderCasedWindashKeywordsAndEncodings() {
        assertThat(matches(sel("text|contains|cased", "'\\Temp\\'"), "text", "x \\Temp\\ y")).isTrue();
        assertThat(matches(sel("text|contains|cased", "'\\Temp\\'"), "text", "x \\temp\\ y")).isFalse();
        assertThat(matches(sel("text|windash|contains", "'\\x -f'"), "text", "c:\\x /f")).isTrue();
        assertThat(matches("kw: ['\\Temp\\']\ncondition: kw", "text", "in c:\\temp\\ now")).isTrue();
        assertThat(matches("kw: ['\\Temp\\']\ncondition: kw", "text", "in c:/temp/ now")).isFalse();
        String enc = Base64.getEncoder().encodeToString("a*b".getBytes(StandardCharsets.UTF_8));
        assertThat(matches(sel("text|base64", "'a\\*b'"), "text", enc)).isTrue();
        assertThatThrownBy(() -> detection(sel("text|base64", "'a*b'")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wildcards");
        // regular expressions are not Sigma strings: the backslash is regex syntax
        assertThat(matches(sel("text|re", "'\\d+\\*'"), "text", "12*")).isTrue();
    }

    // ---- modifiers the engine used to refuse --------------------------------------------------

    @Test
    void utf16AndWideCombineWithBase64() {
        byte[] le = "ping".getBytes(StandardCharsets.UTF_16LE);
        String encLe = Base64.getEncoder().encodeToString(le);
        assertThat(matches(sel("text|wide|base64", "ping"), "text", encLe)).isTrue();
        assertThat(matches(sel("text|utf16le|base64", "ping"), "text", encLe)).isTrue();
        assertThat(matches(sel("text|base64", "ping"), "text", encLe)).isFalse();
        String encBe = Base64.getEncoder().encodeToString("ping".getBytes(StandardCharsets.UTF_16BE));
        assertThat(matches(sel("text|utf16be|base64", "ping"), "text", encBe)).isTrue();
        assertThat(matches(sel("text|utf16be|base64", "ping"), "text", encLe)).isFalse();
        byte[] bom = new byte[le.length + 2];
        bom[0] = (byte) 0xff;
        bom[1] = (byte) 0xfe;
        System.arraycopy(le, 0, bom, 2, le.length);
        assertThat(matches(sel("text|utf16|base64", "ping"), "text", Base64.getEncoder().encodeToString(bom))).isTrue();
        // base64offset of UTF-16 text, at every offset of a longer command line
        for (String prefix : new String[] {"", "a", "ab"}) {
            String cmd = Base64.getEncoder().encodeToString((prefix + "IEX (New-Object x)")
                    .getBytes(StandardCharsets.UTF_16LE));
            assertThat(matches(sel("CommandLine|wide|base64offset|contains", "'New-Object'"), "CommandLine",
                    "powershell -enc " + cmd)).as("prefix %s", prefix).isTrue();
        }
        String other = Base64.getEncoder().encodeToString("Get-Item x".getBytes(StandardCharsets.UTF_16LE));
        assertThat(matches(sel("CommandLine|wide|base64offset|contains", "'New-Object'"), "CommandLine", other))
                .isFalse();
        // wide alone: the UTF-16 bytes as characters
        assertThat(matches(sel("text|wide|contains", "ab"), "text", "xa\u0000b\u0000y")).isTrue();
    }

    @Test
    void fieldrefComparesTwoFieldsOfTheSameLog() {
        String r = sel("user.name|fieldref", "target.user");
        assertThat(matches(r, "+user.name", "Bob", "+target.user", "bob")).isTrue();
        assertThat(matches(r, "+user.name", "Bob", "+target.user", "alice")).isFalse();
        assertThat(matches(r, "+user.name", "Bob")).isFalse();
        assertThat(matches(sel("user.name|fieldref|neq", "target.user"), "+user.name", "Bob", "+target.user", "x"))
                .isTrue();
        assertThat(matches(sel("user.name|fieldref|cased", "target.user"), "+user.name", "Bob", "+target.user", "bob"))
                .isFalse();
        assertThat(matches(sel("text|fieldref|contains", "user.name"), "text", "login of bob ok", "+user.name", "Bob"))
                .isTrue();
    }

    @Test
    void keywordListsWithAll() {
        String r = "kw:\n  '|all':\n    - OabVirtualDirectory\n    - ' -ExternalUrl '\ncondition: kw";
        assertThat(matches(r, "text", "Set-OabVirtualDirectory -ExternalUrl 'x'")).isTrue();
        assertThat(matches(r, "text", "Set-OabVirtualDirectory", "method", "a -externalurl b")).isTrue();
        assertThat(matches(r, "text", "Set-OabVirtualDirectory")).isFalse();
        assertThatThrownBy(() -> detection("kw:\n  '|exists': true\ncondition: kw"))
                .hasMessageContaining("keyword");
    }

    @Test
    void timeModifiersReadAPartOfADate() {
        assertThat(matches(sel("time|hour", "3"), "time", "2026-03-01T03:15:00Z")).isTrue();
        assertThat(matches(sel("time|hour", "3"), "time", "2026-03-01T04:15:00Z")).isFalse();
        assertThat(matches(sel("time|hour|gte", "22"), "time", "2026-03-01 23:00:00")).isTrue();
        assertThat(matches(sel("time|minute", "15"), "time", "2026-03-01T03:15:00+02:00")).isTrue();
        assertThat(matches(sel("time|day", "1"), "time", "2026-03-01T03:15:00Z")).isTrue();
        assertThat(matches(sel("time|week", "9"), "time", "2026-03-01T03:15:00Z")).isTrue();
        assertThat(matches(sel("time|month", "3"), "time", "2026-03-01")).isTrue();
        assertThat(matches(sel("time|year", "2026"), "absolute_time", "1772334900000")).isFalse();
        assertThat(matches(sel("absolute_time|year", "2026"), "absolute_time", 1772334900000L)).isTrue();
        assertThat(matches(sel("time|hour", "3"), "time", "not a date")).isFalse();
        assertThatThrownBy(() -> detection(sel("time|hour|contains", "3"))).hasMessageContaining("hour");
    }

    @Test
    void existsTestsPresenceEvenOfANullValue() {
        assertThat(matches(sel("issue_id|exists", "true"), "issue_id", null)).isTrue();
        assertThat(matches(sel("issue_id|exists", "false"), "issue_id", null)).isFalse();
    }

    @Test
    void windashMakesEveryCombination() {
        String r = sel("CommandLine|windash|contains", "' -a -b'");
        assertThat(matches(r, "CommandLine", "x /a \u2013b")).isTrue();
        assertThat(matches(r, "CommandLine", "x \u2014a -b")).isTrue();
        assertThat(matches(r, "CommandLine", "x +a -b")).isFalse();
    }

    @Test
    void expandUsesTheJobsPlaceholders() {
        String rule = "title: t\nid: x1\ndetection:\n  s:\n    user.name|expand: '%Administrators%'\n"
                + "  e:\n    text|expand|contains: '\\%plain%host%'\n  condition: s or e\n";
        RuleSet rules = RuleLoader.create()
                .placeholders(Map.of("Administrators", List.of("root", "adm-*"), "host", List.of("srv1")))
                .text("t.yml", rule).load();
        DetectionRule d = rules.detections().get(0);
        assertThat(d.matches(SigmaConformanceTest.log("+user.name", "ROOT"))).isTrue();
        assertThat(d.matches(SigmaConformanceTest.log("+user.name", "adm-bob"))).isTrue();
        assertThat(d.matches(SigmaConformanceTest.log("+user.name", "bob"))).isFalse();
        assertThat(d.matches(SigmaConformanceTest.log("text", "x %plainsrv1 y"))).isTrue();
        assertThat(d.matches(SigmaConformanceTest.log("text", "x %plain%host% y"))).isFalse();
        assertThatThrownBy(() -> RuleLoader.create().text("t.yml", rule).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.yml:5")
                .hasMessageContaining("%Administrators%");
        // without expand, %name% is plain text
        assertThat(matches(sel("text", "'%x%'"), "text", "%X%")).isTrue();
    }

    @Test
    void modifierCombinationsTheSpecDoesNotDefineAreRefused() {
        for (String key : List.of("text|re|contains", "text|cidr|base64", "text|exists|contains", "text|i",
                "text|contains|endswith", "text|gt|lt", "text|contains|contains")) {
            assertThatThrownBy(() -> detection(sel(key, "'1'"))).as(key).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("t.yml:2");
        }
    }
}
