package io.fendersec.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.sigma.RequiredLiterals.Literal;

/** The rule index may skip a rule only when the rule cannot match: requirements must be sound. */
class RequiredLiteralsTest {
    private static YamlNode yaml(String detection) {
        return YamlNode.readAll(new StringReader(detection), "t.yml").get(0);
    }

    private static Set<Literal> required(String detection) {
        return RequiredLiterals.of(DetectionParser.plain().detection(yaml(detection)));
    }

    private static boolean satisfied(Set<Literal> required, NormalizedLog log) {
        if (required == null) {
            return true;
        }
        for (Literal l : required) {
            String text = l.field().equals(RequiredLiterals.KEYWORDS) ? log.keywordText() : log.folded(l.field());
            if (text != null && text.contains(l.text())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void derivesTheMostSelectiveRequirement() {
        assertThat(required(("sel: {text|contains: 'Login Failed'}\ncondition: sel")))
                .containsExactly(new Literal("text", "login failed"));
        assertThat(required(("a: {text|startswith: GET}\nb: {http.status|gte: 400}\ncondition: a and b")))
                .containsExactly(new Literal("text", "get"));
        assertThat(required(("kw: [frida, Magisk]\ncondition: kw")))
                .containsExactlyInAnyOrder(new Literal("*", "frida"), new Literal("*", "magisk"));
        assertThat(required(("sel: {text|re: 'orders -> 5\\d\\d'}\ncondition: sel")))
                .containsExactly(new Literal("text", "orders -> 5"));
        // CIDR and numeric comparisons fail on a missing field: they require only its presence
        assertThat(required(("sel: {source.ip|cidr: 10.0.0.0/8}\ncondition: sel")))
                .containsExactly(new Literal("source.ip", ""));
        assertThat(required(("sel: {http.status|gte: 500}\ncondition: sel")))
                .containsExactly(new Literal("http.status", ""));
    }

    @Test
    void noRequirementWhenTheRuleCanMatchWithoutALiteral() {
        for (String d : List.of("sel: {text|contains: a}\ncondition: not sel",
                "a: {text: x}\nb: {user|neq: y}\ncondition: a or b",
                "sel: {text|neq: x}\ncondition: sel",
                "sel: {text: null}\ncondition: sel",
                "sel: {text|exists: true}\ncondition: sel",
                "sel: {text: [abc, null]}\ncondition: sel",
                "sel: ['a?c', '*']\ncondition: sel")) {
            assertThat(required(d)).as(d).isNull();
        }
    }

    @Test
    void wildcardAndRegexKeywordsRequireTheirLiteralsInTheKeywordText() {
        // the keyword text is lower case, not folded: a value's long s (U+017F) is still there
        assertThat(required("sel: ['*pass*x']\ncondition: sel")).containsExactlyInAnyOrder(
                new Literal("*", "pass"), new Literal("*", "pa\u017fs"), new Literal("*", "pas\u017f"),
                new Literal("*", "pa\u017f\u017f"));
        assertThat(required("sel: ['A?C']\ncondition: sel")).isNotNull().allMatch(l -> l.field().equals("*")
                && List.of("a", "c").contains(l.text()));
        assertThat(required("sel: {'|re': 'Frida|magisk'}\ncondition: sel"))
                .containsExactlyInAnyOrder(new Literal("*", "frida"), new Literal("*", "magi\u017fk"),
                        new Literal("*", "magisk"));
        // more than three s: no requirement rather than 16 variants
        assertThat(required("sel: ['*ssss*x']\ncondition: sel")).isNull();
    }

    @Test
    void orUnionsAndPresenceIsARequirement() {
        assertThat(required("a: {text: x}\nb: {user: y}\ncondition: a or b"))
                .containsExactlyInAnyOrder(new Literal("text", "x"), new Literal("user", "y"));
        assertThat(required("sel: {text|contains: x}\ncondition: 1 of sel*"))
                .containsExactly(new Literal("text", "x"));
        // cased values, '*' and a regex without literals hold only for a field with a value
        assertThat(required("sel: {text|cased: Abc}\ncondition: sel")).containsExactly(new Literal("text", ""));
        assertThat(required("sel: {text: [abc, '*']}\ncondition: sel"))
                .containsExactlyInAnyOrder(new Literal("text", "abc"), new Literal("text", ""));
        assertThat(required("sel: {Image|endswith: '\\x.exe', CommandLine|re: '.'}\ncondition: sel"))
                .containsExactly(new Literal("Image", "\\x.exe"));
        assertThat(required("sel: {text|contains: a}\nf: {user: b}\ncondition: sel and not f"))
                .containsExactly(new Literal("text", "a"));
    }

    @Test
    void everyMatchingLogSatisfiesTheRequirement() {
        List<String> rules = List.of(
                "sel: {text|contains: 'Login Failed'}\ncondition: sel",
                "sel: {text: 'user * logged ?n'}\ncondition: sel",
                "sel: {text|contains|all: [foo, bar]}\ncondition: sel",
                "sel: {text|re|i: 'SUCCESS\\d'}\ncondition: sel",
                "sel: {text|re: 'succ(?:ess|eed)'}\ncondition: sel",
                "sel: {text|contains|base64offset: 'ping'}\ncondition: sel",
                "sel: {text|windash|contains: ' -exec'}\ncondition: sel",
                "sel: [{text|endswith: 'KEY'}, {user: 'Bob'}]\ncondition: sel",
                "a: {log_level: 5}\nb: {text|contains: crash}\ncondition: a AND b",
                "kw: [frida, 'Magisk']\ncondition: kw",
                "kw: ['\u017Fu']\ncondition: kw",
                "kw: ['*succ*ss*']\ncondition: kw",
                "kw: ['user * logged ?n', 'x?z']\ncondition: kw",
                "kw: {'|re': 'success\\d'}\ncondition: kw",
                "sel: {source.ip|cidr: [10.0.0.0/8, '2001:db8::/32']}\ncondition: sel",
                "sel: {http.status|gte: 500}\ncondition: sel");
        List<NormalizedLog> logs = List.of(
                SigmaConformanceTest.log("text", "LOGIN FAILED for bob"),
                SigmaConformanceTest.log("text", "User bob logged in"),
                SigmaConformanceTest.log("text", "BAR and FOO"),
                SigmaConformanceTest.log("text", "\u017Fucce\u017Fs7"),
                SigmaConformanceTest.log("text", "succeed"),
                SigmaConformanceTest.log("text", "x " + DetectionCompiler.base64("a ping b")),
                SigmaConformanceTest.log("text", "find /exec"),
                SigmaConformanceTest.log("text", "the \u212Aey", "user", "BOB"),
                SigmaConformanceTest.log("text", "my KEY"),
                SigmaConformanceTest.log("log_level", 5, "text", "Crash!"),
                SigmaConformanceTest.log("note", "MAGISK", "+device.integrity", "frida"),
                SigmaConformanceTest.log("text", "\u017Fu"),
                SigmaConformanceTest.log("+source.ip", "10.1.2.3"),
                SigmaConformanceTest.log("+source.ip", "2001:db8::1"),
                SigmaConformanceTest.log("+http.status", "503"));
        int matched = 0;
        for (String r : rules) {
            EventPredicate p = DetectionCompiler.compileDetection(yaml(r));
            Set<Literal> required = required(r);
            assertThat(required).as(r).isNotNull();
            for (NormalizedLog log : logs) {
                if (p.test(log)) {
                    matched++;
                    assertThat(satisfied(required, log)).as(r + " on " + log).isTrue();
                }
            }
        }
        assertThat(matched).isGreaterThanOrEqualTo(rules.size());
    }
}
