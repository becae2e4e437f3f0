package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.normalize.LiteralSet;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.sigma.RequiredLiterals;
import io.fendersec.detect.sigma.RequiredLiterals.Literal;

/**
 * Decides which detection rules can match a log, from the literals each rule requires: one
 * substring test per distinct (field, literal) pair however many rules share it, instead of
 * evaluating every rule. Rules without a known requirement are always candidates. Where one field
 * (or the keywords) has many literals, one {@link LiteralSet} search of the text finds all of
 * them, instead of one substring test per literal. Not thread-safe (scratch space): one per
 * {@link RuleMatcher}.
 */
final class RuleIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Above this many indexed fields, a log's own field names are looked up instead of every indexed field. */
    private static final int SCAN_LIMIT = 24;
    /**
     * From this many literals in one field, they are found by one multi-literal search; below it,
     * by one substring test each, which costs less than a search for a handful.
     */
    private static final int SEARCH_FROM = 12;

    private final boolean[] always;
    private final FieldLiterals[] fields;
    /** Keyword literals (looked up in every value), or null; and their character masks. */
    private final FieldLiterals keywords;
    private final long[] keywordMasks;
    /** The per-field literals by field name (keywords excluded). */
    private final Map<String, FieldLiterals> byName;

    /**
     * The literals looked up in one field, and for each the rules (by position) it makes
     * candidates; with many literals, the set that finds them in one search.
     */
    private static final class FieldLiterals implements Serializable {
        private static final long serialVersionUID = 1L;

        final String field;
        final String[] literals;
        final int[][] rules;
        /** Null when the literals are few: then each is tested on its own. */
        final LiteralSet search;
        private transient LiteralSet.Found found;

        FieldLiterals(String field, String[] literals, int[][] rules, int searchFrom) {
            this.field = field;
            this.literals = literals;
            this.rules = rules;
            this.search = literals.length >= searchFrom ? new LiteralSet(literals) : null;
        }

        /** Scratch space for {@link #search}, emptied. */
        LiteralSet.Found found() {
            if (found == null) {
                found = search.newFound();
            }
            found.clear();
            return found;
        }
    }

    private final int scanLimit;

    RuleIndex(List<DetectionRule> rules) {
        this(rules, SCAN_LIMIT, SEARCH_FROM);
    }

    /**
     * @param scanLimit up to this many indexed fields, every one is read; above, the log's own field names
     * @param searchFrom from this many literals in one field, one multi-literal search finds them
     */
    RuleIndex(List<DetectionRule> rules, int scanLimit, int searchFrom) {
        this.scanLimit = scanLimit;
        always = new boolean[rules.size()];
        Map<String, Map<String, List<Integer>>> byField = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).required() == null) {
                always[i] = true;
                continue;
            }
            for (Literal l : rules.get(i).required()) {
                byField.computeIfAbsent(l.field(), f -> new LinkedHashMap<>())
                        .computeIfAbsent(l.text(), t -> new ArrayList<>()).add(i);
            }
        }
        List<FieldLiterals> fs = new ArrayList<>();
        byField.forEach((field, lits) -> {
            String[] texts = lits.keySet().toArray(new String[0]);
            int[][] rs = new int[texts.length][];
            for (int k = 0; k < texts.length; k++) {
                rs[k] = lits.get(texts[k]).stream().mapToInt(Integer::intValue).toArray();
            }
            fs.add(new FieldLiterals(field, texts, rs, searchFrom));
        });
        fields = fs.toArray(new FieldLiterals[0]);
        FieldLiterals kw = null;
        Map<String, FieldLiterals> names = new java.util.HashMap<>();
        for (FieldLiterals f : fields) {
            if (RequiredLiterals.KEYWORDS.equals(f.field)) {
                kw = f;
            } else {
                names.put(f.field, f);
            }
        }
        keywords = kw;
        keywordMasks = kw == null ? null
                : java.util.Arrays.stream(kw.literals).mapToLong(NormalizedLog::keywordMask).toArray();
        byName = names;
    }

    /** Marks in {@code out} (one slot per rule, in rule order) the rules that can match {@code log}. */
    void candidates(NormalizedLog log, boolean[] out) {
        System.arraycopy(always, 0, out, 0, always.length);
        if (keywords != null && keywords.search != null) {
            LiteralSet.Found found = keywords.found();
            log.keywordsMayMatch(keywords.search, found);
            markFound(keywords, found, out);
        } else if (keywords != null) {
            for (int k = 0; k < keywords.literals.length; k++) {
                if (log.keywordMayMatch(keywords.literals[k], keywordMasks[k])) {
                    mark(keywords.rules[k], out);
                }
            }
        }
        if (byName.size() <= scanLimit) {
            for (FieldLiterals f : fields) {
                if (f != keywords) {
                    field(f, log, out);
                }
            }
        } else {
            // Thousands of rules read hundreds of fields, a log has a few dozen: look those up.
            log.forEachPossibleField(name -> {
                FieldLiterals f = byName.get(name);
                if (f != null) {
                    field(f, log, out);
                }
            });
        }
    }

    private static void field(FieldLiterals f, NormalizedLog log, boolean[] out) {
        String text = log.folded(f.field);
        if (text == null) {
            return;
        }
        if (f.search != null) {
            LiteralSet.Found found = f.found();
            f.search.findIn(text, found);
            markFound(f, found, out);
            return;
        }
        for (int k = 0; k < f.literals.length; k++) {
            if (text.contains(f.literals[k])) {
                mark(f.rules[k], out);
            }
        }
    }

    private static void markFound(FieldLiterals f, LiteralSet.Found found, boolean[] out) {
        for (int i = 0; i < found.size(); i++) {
            mark(f.rules[found.get(i)], out);
        }
    }

    private static void mark(int[] rules, boolean[] out) {
        for (int r : rules) {
            out[r] = true;
        }
    }
}
