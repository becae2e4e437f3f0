package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogRecord;

/**
 * The rule index may only skip rules that cannot match: generated rules (modifiers, negations,
 * {@code 1 of}, {@code all of}, keywords, fields the log lacks) over generated logs must give the
 * same hits through {@link RuleMatcher} (index, then the candidates) as testing every rule one by
 * one. Seeded: a failure prints the rule and the log, and reruns the same.
 */
class IndexedMatcherDifferentialTest {
    private static final String[] FIELDS = {"text", "user.name", "method", "CommandLine", "Image", "plan", "line",
        "source.ip"};
    private static final String[] WORDS = {"alpha", "Beta", "gamma", "ab", "\\Temp\\", "x-y", "/f", "-f", "a*b",
        "10", "42", "ſu", "K"};
    private static final String[] STRING_MODS = {"", "|contains", "|startswith", "|endswith", "|contains|all",
        "|cased", "|contains|cased", "|neq", "|windash|contains", "|base64offset|contains", "|base64|contains",
        "|wide|base64offset|contains", "|re", "|re|i", "|contains|neq"};

    private final Random random = new Random(20261203L);

    private String pick(String[] a) {
        return a[random.nextInt(a.length)];
    }

    private String word() {
        String w = pick(WORDS);
        return random.nextInt(4) == 0 ? w.toUpperCase(java.util.Locale.ROOT) : w;
    }

    /** A word; escaped where the modifiers cannot take wildcards (encodings). */
    private String plainWord(String mods) {
        String w = word();
        return mods.contains("base64") ? w.replace("*", "\\*") : w;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** One field entry of a selection. */
    private String fieldEntry() {
        String field = pick(FIELDS);
        switch (random.nextInt(12)) {
            case 0:
                return field + "|exists: " + random.nextBoolean();
            case 1:
                return field + ": null";
            case 2:
                return "line|" + pick(new String[] {"gt", "lt", "gte", "lte"}) + ": " + random.nextInt(60);
            case 3:
                return "source.ip|cidr: " + pick(new String[] {"10.0.0.0/8", "192.168.1.0/24", "'2001:db8::/32'"});
            case 4:
                return field + "|fieldref: " + pick(FIELDS);
            case 5:
                return field + ": '*'";
            default:
                break;
        }
        String mods = pick(STRING_MODS);
        String value;
        if (mods.startsWith("|re")) {
            value = quote(pick(new String[] {"al(pha|x)", "^be", "ta$", "[0-9]{2}", "g.m", "(?:ab|K)\\*?", "x-y|/f"}));
        } else if (!mods.contains("base64") && random.nextInt(5) == 0) {
            value = quote(word() + pick(new String[] {"*", "?", ""}) + word());
        } else {
            value = quote(plainWord(mods));
        }
        if (mods.contains("|all") || random.nextInt(3) == 0) {
            value = "[" + value + ", " + quote(mods.startsWith("|re") ? "b" : plainWord(mods)) + "]";
        }
        return field + mods + ": " + value;
    }

    private String selection() {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return "[" + quote(word()) + ", " + quote(word()) + "]"; // keywords
        }
        if (kind == 1) {
            return "{'|all': [" + quote(word()) + ", " + quote(word()) + "]}";
        }
        if (kind == 2) {
            return "[{" + fieldEntry() + "}, {" + fieldEntry() + "}]"; // list of maps, one entry each
        }
        Map<String, String> entries = new LinkedHashMap<>(); // one entry per key: duplicate keys are refused
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String e = fieldEntry();
            entries.putIfAbsent(e.substring(0, e.indexOf(": ")), e);
        }
        return "{" + String.join(", ", entries.values()) + "}";
    }

    private String condition(int selections, int depth) {
        int k = random.nextInt(depth > 2 ? 2 : 7);
        switch (k) {
            case 0:
                return "sel" + random.nextInt(selections);
            case 1:
                return "not " + condition(selections, depth + 1);
            case 2:
                return "(" + condition(selections, depth + 1) + " and " + condition(selections, depth + 1) + ")";
            case 3:
                return "(" + condition(selections, depth + 1) + " or " + condition(selections, depth + 1) + ")";
            case 4:
                return "1 of sel*";
            case 5:
                return "all of sel*";
            default:
                return "sel" + random.nextInt(selections) + " and not sel" + random.nextInt(selections);
        }
    }

    private String rule(int id) {
        int selections = 1 + random.nextInt(3);
        StringBuilder b = new StringBuilder("title: r" + id + "\nid: r" + id + "\ndetection:\n");
        for (int i = 0; i < selections; i++) {
            b.append("  sel").append(i).append(": ").append(selection()).append('\n');
        }
        b.append("  condition: ").append(condition(selections, 0)).append('\n');
        return b.toString();
    }

    private LogRecord log(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", "u" + i);
        m.put("app", "a");
        m.put("device.udid", "d" + random.nextInt(3));
        for (String f : FIELDS) {
            if (random.nextInt(3) == 0 || f.equals("plan")) {
                continue;
            }
            String v;
            switch (random.nextInt(6)) {
                case 0:
                    v = Base64.getEncoder().encodeToString((word() + " " + word()).getBytes(
                            random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16LE));
                    break;
                case 1:
                    v = pick(new String[] {"10.1.2.3", "192.168.1.77", "2001:db8::5", "8.8.8.8"});
                    break;
                case 2:
                    v = Integer.toString(random.nextInt(60));
                    break;
                default:
                    v = word() + pick(new String[] {"", " ", "-", "\\"}) + word() + (random.nextBoolean() ? "" : word());
            }
            m.put(f, f.equals("line") && random.nextBoolean() ? (Object) (long) random.nextInt(60) : v);
        }
        if (random.nextInt(3) == 0) {
            m.put("key_value_key", "plan");
            m.put("key_value_value", word());
        }
        if (random.nextInt(4) == 0) {
            m.put("text", "login failed user=" + word() + " from 10.0.0." + random.nextInt(9));
        }
        return LogRecord.of(m);
    }

    @Test
    void theIndexedMatcherAndRuleByRuleMatchingGiveTheSameHits() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            docs.add(rule(i));
        }
        RuleSet rules = RuleLoader.create().text("gen.yml", String.join("---\n", docs)).load();
        RuleMatcher matcher = new RuleMatcher(rules);
        RuleIndex index = new RuleIndex(rules.detections());
        // the same index reading the log's own field names (what thousands of rules use)
        RuleIndex byLogFields = new RuleIndex(rules.detections(), 0, 12);
        boolean[] viaLogFields = new boolean[rules.detections().size()];
        // every field's literals by one substring test each, and by one multi-literal search each
        RuleIndex literalByLiteral = new RuleIndex(rules.detections(), 24, Integer.MAX_VALUE);
        RuleIndex searched = new RuleIndex(rules.detections(), 24, 1);
        boolean[] viaLiterals = new boolean[rules.detections().size()];
        boolean[] viaSearch = new boolean[rules.detections().size()];
        boolean[] candidates = new boolean[rules.detections().size()];
        Normalizer normalizer = Normalizer.builder().build();
        int hits = 0;
        int skippedByIndex = 0;
        for (int i = 0; i < 1500; i++) {
            LogRecord record = log(i);
            // a fresh log for each path: the caches of one must not help the other
            NormalizedLog forIndex = normalizer.normalize(record);
            NormalizedLog forEach = normalizer.normalize(record);
            Set<String> indexed = new TreeSet<>();
            for (GroupHits g : matcher.match(forIndex, 0L, true)) {
                g.targets().forEach(t -> indexed.add(t.source()));
            }
            Set<String> oneByOne = new TreeSet<>();
            for (DetectionRule d : rules.detections()) {
                if (d.matches(forEach)) {
                    oneByOne.add(d.id());
                }
            }
            if (!indexed.equals(oneByOne)) {
                Set<String> missed = new TreeSet<>(oneByOne);
                missed.removeAll(indexed);
                String first = missed.isEmpty() ? null : missed.iterator().next();
                throw new AssertionError("log " + record + ": indexed " + indexed + ", one by one " + oneByOne
                        + (first == null ? "" : "\nfirst missed rule:\n" + docs.get(Integer.parseInt(first.substring(1)))));
            }
            byLogFields.candidates(normalizer.normalize(record), viaLogFields);
            for (int r = 0; r < viaLogFields.length; r++) {
                if (!viaLogFields[r] && oneByOne.contains(rules.detections().get(r).id())) {
                    throw new AssertionError("log " + record + ": the index by log fields leaves out matching rule\n"
                            + docs.get(r));
                }
            }
            literalByLiteral.candidates(normalizer.normalize(record), viaLiterals);
            searched.candidates(normalizer.normalize(record), viaSearch);
            if (!java.util.Arrays.equals(viaLiterals, viaSearch)) {
                throw new AssertionError("log " + record + ": multi-literal search and literal by literal disagree");
            }
            hits += oneByOne.size();
            index.candidates(normalizer.normalize(record), candidates);
            for (boolean c : candidates) {
                skippedByIndex += c ? 0 : 1;
            }
        }
        // the generator must exercise both sides: real matches, and rules the index leaves out
        assertThat(hits).isGreaterThan(1500);
        assertThat(skippedByIndex).isGreaterThan(1500 * 60);
    }
}
