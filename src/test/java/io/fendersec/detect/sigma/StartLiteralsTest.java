package io.fendersec.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import com.google.re2j.Pattern;

import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;

/**
 * The search that runs an expression only where a match can start finds exactly what RE2/J's
 * unanchored search finds: the same match, the same groups, over the default extractors' regexes
 * and tricky ones (word boundaries, line starts, optional prefixes, case folding), on emulator
 * texts and random texts built to put the literals in awkward places.
 */
class StartLiteralsTest {

    @Test
    void derivesWhatMatchesStartWith() {
        assertThat(RegexLiterals.starts("(?i)\\b(?:user(?:_?name)?|login|account|e-?mail)\\s*[=:]\\s*(\\S+)"))
                .containsExactlyInAnyOrder("user", "user_name", "username", "login", "account", "e-mail", "email");
        assertThat(RegexLiterals.starts("^(?:GET|POST)\\s+/")).containsExactlyInAnyOrder("get", "post");
        assertThat(RegexLiterals.starts("x?abc")).containsExactlyInAnyOrder("xabc", "abc");
        assertThat(RegexLiterals.starts("(ab)+c")).containsExactly("ab");
        // unknown where a match may start elsewhere
        assertThat(RegexLiterals.starts("\\d+ items")).isNull();
        assertThat(RegexLiterals.starts("a*b")).isNull();
        assertThat(RegexLiterals.starts("(?:abc)?d")).containsExactlyInAnyOrder("abcd", "d");
        assertThat(RegexLiterals.starts("abc|\\d")).isNull();
        assertThat(RegexLiterals.starts("")).isNull();
    }

    static List<String> regexes() throws Exception {
        List<String> out = new ArrayList<>();
        try (InputStream in = StartLiteralsTest.class.getClassLoader().getResourceAsStream("normalize/defaults.yml")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = java.util.regex.Pattern.compile("^\\s*regex: '(.*)'\\s*$").matcher(line);
                if (m.matches()) {
                    out.add(m.group(1).replace("''", "'"));
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(30);
        out.addAll(List.of(
                "\\bab(c)", "(?i)\\bAB(?P<value>\\w*)", "\\Bab", "(?m)^ab(\\w)", "^ab", "ab$", "(?i)ab|cd(e)?",
                "a(b?)c", "(?:x|xy)(z)", "ab??c", "(a)(b)?", "(?s)ab.c", "(?i)k(\\w)", "ab\\b", "(?U)ab+"));
        return out;
    }

    static List<String> texts() {
        List<String> texts = new ArrayList<>();
        var d = new DatasetGenerator(3, 1, 1, Instant.parse("2026-11-28T00:00:00Z"), 3_000, ArrivalDelays.defaults(),
                Scenarios.byName("all").orElseThrow()).generate();
        for (GeneratedApp app : d.apps()) {
            for (GeneratedLog l : d.logs(app.id())) {
                if (l.record().text() != null) {
                    texts.add(l.record().text());
                }
            }
        }
        // pieces around the literals: word characters before them, repeats past the attempt cap, newlines, case
        String[] pieces = {"ab", "AB", "c", "xab", "_", " ", "\n", "abc", "user", "User=", "login:", "e-mail=",
            "email ", "from ", "ip=", "10.0.0.1", "GET", "post", " /x", "status=", "200", "->", "\u212a", "k",
            "\u0130", "xy", "z", "=", "bob", "@", "a.io"};
        Random r = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(i % 50 == 0 ? 40 : 10);
            for (int k = 0; k < n; k++) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            texts.add(b.toString());
        }
        texts.add("ab ".repeat(StartLiterals.MAX_ATTEMPTS * 3) + "abc"); // past the cap: one plain search
        return texts;
    }

    @Test
    void findsWhatAnUnanchoredSearchFinds() throws Exception {
        List<String> texts = texts();
        int searched = 0;
        int found = 0;
        for (String re : regexes()) {
            Pattern p = Pattern.compile(re);
            StartLiterals s = StartLiterals.forRegex(p);
            if (s == null) {
                continue;
            }
            searched++;
            for (String t : texts) {
                com.google.re2j.Matcher m = p.matcher(t);
                StartLiterals.Found f = s.find(t, LiteralPrefilter.fold(t));
                if (!m.find()) {
                    assertThat(f).as("%s in %s", re, t).isNull();
                    continue;
                }
                found++;
                assertThat(f).as("%s in %s", re, t).isNotNull();
                for (int g = 0; g <= m.groupCount(); g++) {
                    assertThat(f.group(g)).as("group %d of %s in %s", g, re, t).isEqualTo(m.group(g));
                }
            }
        }
        assertThat(searched).as("expressions with start literals").isGreaterThan(20);
        assertThat(found).as("matches compared").isGreaterThan(5_000);
    }
}
