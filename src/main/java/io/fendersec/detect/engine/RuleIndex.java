package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.DetectionRule;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.sigma.RequiredLiterals;
import io.fendersec.detect.sigma.RequiredLiterals.Literal;

/**
 * Decides which detection rules can match a log, from the literals each rule requires: one
 * substring test per distinct (field, literal) pair however many rules share it, instead of
 * evaluating every rule. Rules without a known requirement are always candidates.
 */
final class RuleIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean[] always;
    private final FieldLiterals[] fields;

    /** The literals looked up in one field, and for each the rules (by position) it makes candidates. */
    private record FieldLiterals(String field, String[] literals, int[][] rules) implements Serializable {}

    RuleIndex(List<DetectionRule> rules) {
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
            fs.add(new FieldLiterals(field, texts, rs));
        });
        fields = fs.toArray(new FieldLiterals[0]);
    }

    /** Marks in {@code out} (one slot per rule, in rule order) the rules that can match {@code log}. */
    void candidates(NormalizedLog log, boolean[] out) {
        System.arraycopy(always, 0, out, 0, always.length);
        for (FieldLiterals f : fields) {
            if (RequiredLiterals.KEYWORDS.equals(f.field())) {
                for (int k = 0; k < f.literals().length; k++) {
                    if (log.keywordMayMatch(f.literals()[k])) {
                        for (int r : f.rules()[k]) {
                            out[r] = true;
                        }
                    }
                }
                continue;
            }
            String text = log.folded(f.field());
            if (text == null) {
                continue;
            }
            for (int k = 0; k < f.literals().length; k++) {
                if (text.contains(f.literals()[k])) {
                    for (int r : f.rules()[k]) {
                        out[r] = true;
                    }
                }
            }
        }
    }
}
