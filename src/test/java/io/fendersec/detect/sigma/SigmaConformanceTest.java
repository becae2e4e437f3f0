package io.fendersec.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

/** Sigma v2.1 detection semantics, one case (or more) per value form, modifier and condition form. */
class SigmaConformanceTest {

    static EventPredicate detection(String yaml) {
        return DetectionCompiler.compileDetection(YamlNode.readAll(new StringReader(yaml), "t.yml").get(0));
    }

    static NormalizedLog log(Object... kv) {
        LogRecord.Builder b = LogRecord.builder();
        Map<String, String> extracted = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            String k = (String) kv[i];
            if (k.startsWith("+")) {
                extracted.put(k.substring(1), (String) kv[i + 1]);
            } else {
                b.put(k, kv[i + 1]);
            }
        }
        return new NormalizedLog(b.build(), extracted);
    }

    static boolean matches(String yaml, Object... kv) {
        return detection(yaml).test(log(kv));
    }

    @Test
    void plainValueIsCaseInsensitiveEquality() {
        String r = "sel: {text: 'Login Failed'}\ncondition: sel";
        assertThat(matches(r, "text", "login failed")).isTrue();
        assertThat(matches(r, "text", "login failed!")).isFalse();
        assertThat(matches(r, "other", "login failed")).isFalse();
    }

    @Test
    void numbersAndBooleansCompareAsText() {
        assertThat(matches("sel: {log_level: 2}\ncondition: sel", "log_level", 2)).isTrue();
        assertThat(matches("sel: {log_level: 2}\ncondition: sel", "log_level", 4)).isFalse();
        assertThat(matches("sel: {flag: true}\ncondition: sel", "flag", true)).isTrue();
    }

    @Test
    void wildcardsAndEscapes() {
        String r = "sel: {text: 'user * logged ?n'}\ncondition: sel";
        assertThat(matches(r, "text", "User bob logged in")).isTrue();
        assertThat(matches(r, "text", "user bob logged iin")).isFalse();
        String lit = "sel: {text: 'price\\*2 \\? \\\\x \\d'}\ncondition: sel";
        assertThat(matches(lit, "text", "price*2 ? \\x \\d")).isTrue();
        assertThat(matches(lit, "text", "price22 ? \\x \\d")).isFalse();
        assertThat(matches("sel: {text: '*'}\ncondition: sel", "text", "anything")).isTrue();
        assertThat(matches("sel: {text: '*'}\ncondition: sel", "other", "x")).isFalse();
    }

    @Test
    void nullMeansAbsentOrNull() {
        String r = "sel: {issue_id: null}\ncondition: sel";
        assertThat(matches(r, "text", "x")).isTrue();
        assertThat(matches(r, "issue_id", null)).isTrue();
        assertThat(matches(r, "issue_id", "7")).isFalse();
    }

    @Test
    void listIsOrAndMapIsAnd() {
        String r = "sel:\n  text: [alpha, beta]\n  log_level: 2\ncondition: sel";
        assertThat(matches(r, "text", "beta", "log_level", 2)).isTrue();
        assertThat(matches(r, "text", "beta", "log_level", 1)).isFalse();
        assertThat(matches(r, "text", "gamma", "log_level", 2)).isFalse();
        String listOfMaps = "sel:\n  - {text: a}\n  - {log_level: 5}\ncondition: sel";
        assertThat(matches(listOfMaps, "text", "b", "log_level", 5)).isTrue();
        assertThat(matches(listOfMaps, "text", "b", "log_level", 4)).isFalse();
    }

    @Test
    void keywordsSearchEveryFieldAndExtractedFields() {
        String r = "keywords: [frida, 'magisk*hide']\ncondition: keywords";
        assertThat(matches(r, "text", "Detected FRIDA server")).isTrue();
        assertThat(matches(r, "method", "checkMagiskHide")).isTrue();
        assertThat(matches(r, "+device.integrity", "frida")).isTrue();
        assertThat(matches(r, "text", "clean")).isFalse();
    }

    @Test
    void containsStartswithEndswith() {
        assertThat(matches("s: {text|contains: PASSWORD}\ncondition: s", "text", "bad password here")).isTrue();
        assertThat(matches("s: {text|startswith: bad}\ncondition: s", "text", "Bad password")).isTrue();
        assertThat(matches("s: {text|startswith: password}\ncondition: s", "text", "bad password")).isFalse();
        assertThat(matches("s: {text|endswith: word}\ncondition: s", "text", "bad password")).isTrue();
        assertThat(matches("s: {text|endswith: bad}\ncondition: s", "text", "bad password")).isFalse();
        assertThat(matches("s: {text|contains: 'a*d'}\ncondition: s", "text", "xx abcd yy")).isTrue();
    }

    @Test
    void allTurnsTheListIntoAnd() {
        String r = "s: {text|contains|all: [token, bearer]}\ncondition: s";
        assertThat(matches(r, "text", "Bearer token=x")).isTrue();
        assertThat(matches(r, "text", "token=x")).isFalse();
    }

    @Test
    void reIsRe2CaseSensitiveUnlessI() {
        assertThat(matches("s: {text|re: 'pin(ning)? fail'}\ncondition: s", "text", "TLS pinning failure")).isTrue();
        assertThat(matches("s: {text|re: 'PINNING'}\ncondition: s", "text", "pinning")).isFalse();
        assertThat(matches("s: {text|re|i: 'PINNING'}\ncondition: s", "text", "pinning")).isTrue();
        assertThat(matches("s: {text|re: '^b$'}\ncondition: s", "text", "a\nb\nc")).isFalse();
        assertThat(matches("s: {text|re|m: '^b$'}\ncondition: s", "text", "a\nb\nc")).isTrue();
        assertThat(matches("s: {text|re: 'a.c'}\ncondition: s", "text", "a\nc")).isFalse();
        assertThat(matches("s: {text|re|s: 'a.c'}\ncondition: s", "text", "a\nc")).isTrue();
    }

    @Test
    void reRefusesPatternsRe2CannotRunInLinearTime() {
        assertThatThrownBy(() -> detection("s: {text|re: '(a)\\1'}\ncondition: s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.yml:1");
    }

    @Test
    void cidrV4AndV6() {
        String r = "s: {source.ip|cidr: ['10.0.0.0/8', '2001:db8::/32']}\ncondition: s";
        assertThat(matches(r, "+source.ip", "10.2.3.4")).isTrue();
        assertThat(matches(r, "+source.ip", "11.2.3.4")).isFalse();
        assertThat(matches(r, "+source.ip", "2001:db8::1")).isTrue();
        assertThat(matches(r, "+source.ip", "2001:db9::1")).isFalse();
        assertThat(matches(r, "+source.ip", "not-an-ip.example")).isFalse();
        // IPv4-mapped IPv6 spellings of an IPv4 address are that address (an attacker picks the
        // spelling; mutation caught: comparing their 16 bytes against the IPv4 network).
        assertThat(matches(r, "+source.ip", "::ffff:10.2.3.4")).isTrue();
        assertThat(matches(r, "+source.ip", "::FFFF:a02:304")).isTrue();
        assertThat(matches(r, "+source.ip", "0:0:0:0:0:ffff:10.2.3.4")).isTrue();
        assertThat(matches(r, "+source.ip", "::ffff:11.2.3.4")).isFalse();
        assertThat(matches("s: {ip|cidr: '192.168.1.0/25'}\ncondition: s", "ip", "192.168.1.127")).isTrue();
        assertThat(matches("s: {ip|cidr: '192.168.1.0/25'}\ncondition: s", "ip", "192.168.1.128")).isFalse();
    }

    @Test
    void exists() {
        assertThat(matches("s: {issue_id|exists: true}\ncondition: s", "issue_id", "1")).isTrue();
        assertThat(matches("s: {issue_id|exists: true}\ncondition: s", "text", "1")).isFalse();
        assertThat(matches("s: {issue_id|exists: false}\ncondition: s", "text", "1")).isTrue();
        assertThat(matches("s: {key|exists: true}\ncondition: s", "key_value_key", "key", "key_value_value", "v")).isTrue();
    }

    @Test
    void numericComparisons() {
        assertThat(matches("s: {line|gt: 10}\ncondition: s", "line", 11)).isTrue();
        assertThat(matches("s: {line|gt: 10}\ncondition: s", "line", 10)).isFalse();
        assertThat(matches("s: {line|gte: 10}\ncondition: s", "line", 10)).isTrue();
        assertThat(matches("s: {line|lt: 10}\ncondition: s", "line", "9")).isTrue();
        assertThat(matches("s: {line|lte: 10}\ncondition: s", "line", 10.5)).isFalse();
        assertThat(matches("s: {line|lt: 10}\ncondition: s", "line", "nine")).isFalse();
        assertThatThrownBy(() -> detection("s: {line|lt: ten}\ncondition: s")).isInstanceOf(ConfigException.class);
    }

    @Test
    void base64AndBase64offset() {
        String enc = Base64.getEncoder().encodeToString("secret".getBytes());
        assertThat(matches("s: {text|base64: secret}\ncondition: s", "text", enc)).isTrue();
        assertThat(matches("s: {text|base64|contains: secret}\ncondition: s", "text", "x " + enc + " y")).isTrue();
        for (String prefix : new String[] {"", "a", "ab", "abc"}) {
            String e = Base64.getEncoder().encodeToString((prefix + "/bin/sh -c" + "zz").getBytes());
            assertThat(matches("s: {text|base64offset|contains: '/bin/sh -c'}\ncondition: s", "text", e))
                    .as("offset %d", prefix.length()).isTrue();
        }
        String other = Base64.getEncoder().encodeToString("/usr/bin/true".getBytes());
        assertThat(matches("s: {text|base64offset|contains: '/bin/sh -c'}\ncondition: s", "text", other)).isFalse();
    }

    @Test
    void casedMakesComparisonCaseSensitive() {
        assertThat(matches("s: {text|cased: Root}\ncondition: s", "text", "Root")).isTrue();
        assertThat(matches("s: {text|cased: Root}\ncondition: s", "text", "root")).isFalse();
        assertThat(matches("s: {text|contains|cased: Root}\ncondition: s", "text", "is ROOT")).isFalse();
    }

    @Test
    void neqNegatesEveryValue() {
        assertThat(matches("s: {log_level|neq: 4}\ncondition: s", "log_level", 2)).isTrue();
        assertThat(matches("s: {log_level|neq: 4}\ncondition: s", "log_level", 4)).isFalse();
        assertThat(matches("s: {log_level|neq: [4, 0]}\ncondition: s", "log_level", 0)).isFalse();
    }

    @Test
    void windashMatchesDashVariants() {
        String r = "s: {text|windash|contains: ' -exec'}\ncondition: s";
        assertThat(matches(r, "text", "cmd /exec x")).isTrue();
        assertThat(matches(r, "text", "cmd \u2013exec x")).isTrue();
        assertThat(matches(r, "text", "cmd -exec x")).isTrue();
        assertThat(matches(r, "text", "cmd +exec x")).isFalse();
    }

    @Test
    void conditionOperatorsAndPrecedence() {
        String base = "a: {text|contains: a}\nb: {text|contains: b}\nc: {text|contains: c}\n";
        // and binds tighter than or
        assertThat(matches(base + "condition: a or b and c", "text", "a")).isTrue();
        assertThat(matches(base + "condition: (a or b) and c", "text", "a")).isFalse();
        assertThat(matches(base + "condition: not a and b", "text", "b")).isTrue();
        assertThat(matches(base + "condition: not a and b", "text", "ab")).isFalse();
        assertThat(matches(base + "condition: not (a or b)", "text", "c")).isTrue();
        assertThat(matches(base + "condition: [a, c]", "text", "c")).isTrue();
    }

    @Test
    void oneOfAllOfPatternsAndThem() {
        String base = "sel_a: {text|contains: a}\nsel_b: {text|contains: b}\n_filter: {text|contains: z}\n";
        assertThat(matches(base + "condition: 1 of sel_*", "text", "b")).isTrue();
        assertThat(matches(base + "condition: all of sel_*", "text", "b")).isFalse();
        assertThat(matches(base + "condition: all of sel_*", "text", "ab")).isTrue();
        assertThat(matches(base + "condition: all of them", "text", "ab")).isTrue(); // _filter is not in 'them'
        assertThat(matches(base + "condition: 1 of them", "text", "z")).isFalse();
        assertThat(matches(base + "condition: 1 of sel_* and not _filter", "text", "az")).isFalse();
    }

    @Test
    void unsupportedFeaturesFailWithFileLineAndFeature() {
        assertThatThrownBy(() -> detection("s: {text|expand: '%x%'}\ncondition: s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.yml:1").hasMessageContaining("%x%");
        assertThatThrownBy(() -> detection("s:\n  text|utf17: x\ncondition: s"))
                .hasMessageContaining("t.yml:2").hasMessageContaining("utf17");
        assertThatThrownBy(() -> detection("s: {text: x}\ncondition: s | count() > 5"))
                .hasMessageContaining("aggregation");
        assertThatThrownBy(() -> detection("s: {text: x}\ncondition: 2 of s"))
                .hasMessageContaining("'2 of'");
        assertThatThrownBy(() -> detection("s: {text: x}\ncondition: s and t"))
                .hasMessageContaining("unknown search identifier 't'");
        assertThatThrownBy(() -> detection("s: {text: x}\ntimeframe: 5m\ncondition: s"))
                .hasMessageContaining("t.yml:2").hasMessageContaining("timeframe");
    }
}
