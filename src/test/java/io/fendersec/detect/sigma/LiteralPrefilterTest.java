package io.fendersec.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.re2j.Pattern;

class LiteralPrefilterTest {
    private static java.util.Set<String> literals(String re) {
        LiteralPrefilter p = LiteralPrefilter.forRegex(re);
        return p == null ? null : p.literals();
    }

    @Test
    void derivesRequiredLiterals() {
        assertThat(literals("orders -> 5\\d\\d")).containsExactly("orders -> 5");
        assertThat(literals("(?i)\\b(?:fail\\w*|invalid|unauthori[sz]ed)\\b"))
                .containsExactlyInAnyOrder("fail", "invalid", "unauthori");
        assertThat(literals("jailbr(?:oken|eak)")).containsExactlyInAnyOrder("jailbroken", "jailbreak");
        assertThat(literals("\\s(?:->|=>|\u2192)\\s*([1-5]\\d\\d)")).containsExactlyInAnyOrder("->", "=>", "\u2192");
        assertThat(literals("(?P<value>AB)+c")).containsExactly("ab");
        assertThat(literals("a{2,}b")).containsExactly("a");
        assertThat(literals("x{1")).containsExactly("x{1"); // not a repeat: literal
    }

    @Test
    void givesUpWhenNothingIsRequiredOrSyntaxIsNotModelled() {
        assertThat(literals("\\d+")).isNull();
        assertThat(literals("a|\\d")).isNull();
        assertThat(literals("(?:abc)?")).isNull();
        assertThat(literals("\\Qa.b\\E")).isNull();
        assertThat(literals("[abc]*")).isNull();
        assertThat(literals("\u00e9t\u00e9")).containsExactly("t"); // letters with case are not literals
    }

    @Test
    void foldingCoversWhatCaseInsensitiveRe2Matches() {
        for (String text : List.of("\u212Aey", "\u017Fuccess", "SUCCESS", "Success")) {
            String re = text.contains("ey") ? "(?i)key" : "(?i)success";
            assertThat(Pattern.compile(re).matcher(text).find()).isTrue();
            assertThat(LiteralPrefilter.forRegex(re).mayMatch(LiteralPrefilter.fold(text))).as(text).isTrue();
        }
    }

    /** Whenever the regex finds a match, the prefilter must let the text through. */
    @Test
    void neverRejectsAMatchingText() {
        List<String> regexes = List.of(
                "(?i)\\b(?:user(?:_?name)?|login|account|e-?mail)\\s*[=:]\\s*[\"']?([^\\s\"',;)]+)",
                "\\b([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})\\b",
                "(?i)\\b(?:from|ip|client|remote(?:_?addr(?:ess)?)?|src|source)\\s*[=:]?\\s*(\\d{1,3}(?:\\.\\d{1,3}){3})\\b",
                "\\b(GET|POST|PUT)\\s+(?:https?://[^/\\s]+)?/", "(?i)ab?c|d[ef]+g", "x(?:yz){2}w", "(?i:Q)r{0,2}s");
        String alphabet = "abcdefgqrsuwxyzGETPOSTUDK\u212A\u017F@.:= /01239-_";
        Random rnd = new Random(42);
        List<String> texts = new ArrayList<>(List.of("login: bob", "user=a@b.io", "from 10.0.0.1", "GET /x",
                "POST https://h/p", "Ac", "dEEg", "xyzyzw", "qs", "Qrrs", "\u212Aey"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + rnd.nextInt(12);
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            texts.add(b.toString());
        }
        for (String re : regexes) {
            Pattern p = Pattern.compile(re);
            LiteralPrefilter f = LiteralPrefilter.forRegex(re);
            assertThat(f).as(re).isNotNull();
            for (String t : texts) {
                if (p.matcher(t).find()) {
                    assertThat(f.mayMatch(LiteralPrefilter.fold(t))).as(re + " on " + t).isTrue();
                }
            }
        }
    }
}
