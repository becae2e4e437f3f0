package io.fendersec.detect.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fendersec.model.LogRecord;

/**
 * The multi-literal search must answer exactly what one {@code contains} per literal answers:
 * checked against the naive scan on random literal sets and texts over a small alphabet (so that
 * literals overlap, nest and share prefixes and suffixes), and, through {@link NormalizedLog},
 * against {@link NormalizedLog#keywordMayMatch(String)} literal by literal. Seeded.
 */
class LiteralSetTest {
    /** Few letters, so matches are frequent; the separator, non-ASCII and case-changing characters too. */
    private static final char[] ALPHABET = {'a', 'b', 'a', 'b', 'c', 'A', '\0', '\u017f', 'K', '\u212a', 'é', '\u03a3',
        '\u0130', '1', '='};

    private final Random random = new Random(20261203L);

    private String word(int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return b.toString();
    }

    private String[] literals(int count, int maxLength) {
        Set<String> s = new LinkedHashSet<>();
        for (int tries = 0; s.size() < count && tries < count * 20; tries++) {
            s.add(word(maxLength)); // short words run out: the set is then smaller
        }
        return s.toArray(new String[0]);
    }

    @Test
    void findsExactlyTheLiteralsThatContainsFinds() {
        int compared = 0;
        int found = 0;
        for (int set = 0; set < 300; set++) {
            String[] lits = literals(1 + random.nextInt(40), 1 + random.nextInt(6));
            LiteralSet search = new LiteralSet(lits);
            LiteralSet.Found f = search.newFound();
            for (int t = 0; t < 60; t++) {
                String text = word(random.nextInt(3) == 0 ? 200 : 30);
                f.clear(); // reused, as the rule index does
                search.findIn(text, f);
                Set<Integer> listed = new LinkedHashSet<>();
                for (int i = 0; i < f.size(); i++) {
                    assertThat(listed.add(f.get(i))).as("each literal listed once").isTrue();
                }
                for (int k = 0; k < lits.length; k++) {
                    boolean expected = text.contains(lits[k]);
                    if (expected != f.contains(k) || expected != listed.contains(k)) {
                        throw new AssertionError("literal " + escape(lits[k]) + " in " + escape(text) + ": contains "
                                + expected + ", search " + f.contains(k));
                    }
                    compared++;
                    found += expected ? 1 : 0;
                }
            }
        }
        // both answers must occur often, or the comparison proves little
        assertThat(found).isGreaterThan(compared / 10);
        assertThat(compared - found).isGreaterThan(compared / 10);
    }

    @Test
    void theEmptyLiteralIsInEveryTextAndSharedPrefixesAndSuffixesAreAllFound() {
        LiteralSet s = new LiteralSet(new String[] {"he", "she", "his", "hers", "", "e"});
        LiteralSet.Found f = s.newFound();
        s.findIn("ushers", f);
        assertThat(indexes(f)).containsExactlyInAnyOrder(0, 1, 3, 4, 5);
        f.clear();
        s.findIn("", f);
        assertThat(indexes(f)).containsExactly(4);
        assertThatThrownBy(() -> new LiteralSet(new String[] {"a", "a"})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLogsKeywordSearchAnswersAsItsLiteralByLiteralTest() {
        Normalizer lazy = Normalizer.defaults();
        int compared = 0;
        int found = 0;
        for (int set = 0; set < 40; set++) {
            List<String> lits = new ArrayList<>();
            for (String w : literals(1 + random.nextInt(60), 4)) {
                if (!w.isEmpty()) {
                    lits.add(w.toLowerCase(java.util.Locale.ROOT)); // keyword literals are lower case
                }
            }
            lits.addAll(List.of("login", "failed", "ios", "a\0b", "=1", "k"));
            LiteralSet search = new LiteralSet(lits.stream().distinct().toArray(String[]::new));
            LiteralSet.Found f = search.newFound();
            for (int l = 0; l < 40; l++) {
                LogRecord record = log();
                // a fresh log per path: one path's caches must not help the other
                NormalizedLog[][] pairs = {
                    {lazy.normalize(record), lazy.normalize(record)},
                    {new NormalizedLog(record, Map.of("x", word(6))), null}};
                pairs[1][1] = new NormalizedLog(record, pairs[1][0].extracted());
                for (NormalizedLog[] p : pairs) {
                    f.clear();
                    p[0].keywordsMayMatch(search, f);
                    for (int k = 0; k < search.size(); k++) {
                        boolean expected = p[1].keywordMayMatch(search.literal(k));
                        if (expected != f.contains(k)) {
                            throw new AssertionError("literal " + escape(search.literal(k)) + " in " + record
                                    + ": one by one " + expected + ", search " + f.contains(k));
                        }
                        compared++;
                        found += expected ? 1 : 0;
                    }
                }
            }
        }
        assertThat(found).isGreaterThan(compared / 20);
        assertThat(compared - found).isGreaterThan(compared / 10);
    }

    private LogRecord log() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", "u" + random.nextInt(100));
        m.put("app", "a");
        switch (random.nextInt(4)) {
            case 0:
                m.put("text", "Login failed for user=" + word(5) + " from 10.0.0." + random.nextInt(9));
                break;
            case 1:
                m.put("text", word(40));
                break;
            case 2:
                break; // no text
            default:
                m.put("text", "POST https://api.example.com/v1/" + word(4) + " -> 401");
        }
        if (random.nextBoolean()) {
            m.put("device.model", word(8));
        }
        if (random.nextBoolean()) {
            m.put("line", (long) random.nextInt(50));
        }
        if (random.nextInt(3) == 0) {
            m.put("key_value_key", word(3));
            m.put("key_value_value", word(5));
        }
        return LogRecord.of(m);
    }

    private static List<Integer> indexes(LiteralSet.Found f) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.get(i));
        }
        return out;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
