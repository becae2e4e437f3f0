package io.fendersec.detect.load;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.rule.RuleSet;

/**
 * Per rule, a fingerprint of everything that decides what its correlation state holds: for a
 * detection its {@code detection} as written; for a correlation its type, condition, timespan,
 * baseline, group-by, aliases and counted field (overrides applied) and, recursively, the
 * fingerprints of the rules it counts; for both the keyed stage that holds its state. Titles,
 * levels, tags and descriptions are left out: changing them keeps windows and episodes.
 *
 * <p>When a running job's rules change, a rule whose fingerprint changed (or that is gone) has
 * its windows, episodes and waiting hits dropped, so it starts empty under its new definition;
 * every other rule keeps its state (docs/rules.md, "Live rule changes").
 */
public final class RuleFingerprints {
    private RuleFingerprints() {}

    /**
     * @param texts the rule texts by name (file) the rules were loaded from, besides the built-in
     *              pack (whose rules cannot change while a job runs)
     */
    public static Map<String, String> of(RuleSet rules, Map<String, String> texts) {
        Map<String, String> detections = new HashMap<>();
        for (Map.Entry<String, String> t : texts.entrySet()) {
            for (YamlNode doc : YamlNode.readAll(new StringReader(t.getValue()), t.getKey())) {
                if (doc.isMap() && doc.get("detection") != null) {
                    String id = RuleInfoReader.ruleId(doc);
                    if (id != null) {
                        detections.put(id, canonical(doc.get("detection")));
                    }
                }
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (String id : rules.rules().keySet()) {
            fingerprint(id, rules, detections, out);
        }
        return out;
    }

    /** The rules of {@code before} whose state cannot be kept under {@code after}: changed or gone. */
    public static Set<String> restarted(Map<String, String> before, Map<String, String> after) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static String fingerprint(String id, RuleSet rules, Map<String, String> detections,
                                      Map<String, String> memo) {
        String known = memo.get(id);
        if (known != null) {
            return known;
        }
        Rule r = rules.rule(id);
        StringBuilder b = new StringBuilder("stage=").append(rules.hitStage(id)).append(';');
        if (r instanceof CorrelationRule c) {
            b.append("correlation=").append(c.type()).append(";condition=").append(c.condition())
                    .append(";timespan=").append(c.timespan()).append(";baseline=").append(c.baseline())
                    .append(";group-by=").append(c.groupBy()).append(";field=").append(c.field())
                    .append(";aliases=").append(sorted(c.aliases()));
            if (c.temporal() != null) {
                // only when present: the fingerprints of rules without one stay those of earlier releases
                b.append(";temporal=").append(c.temporal());
            }
            b.append(";rules=");
            for (String ref : c.rules()) {
                b.append(ref).append('=').append(fingerprint(ref, rules, detections, memo)).append(',');
            }
        } else {
            // Not in the watched texts: a built-in rule, which a running job cannot change.
            b.append("detection=").append(detections.getOrDefault(id, "builtin"));
        }
        String fp = sha256(b.toString());
        memo.put(id, fp);
        return fp;
    }

    private static Map<String, Map<String, String>> sorted(Map<String, Map<String, String>> aliases) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        aliases.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    /** The value as written, without its locations: moving a rule within its file is no change. */
    private static String canonical(YamlNode n) {
        StringBuilder b = new StringBuilder();
        canonical(n, b);
        return b.toString();
    }

    private static void canonical(YamlNode n, StringBuilder b) {
        if (n.isMap()) {
            b.append('{');
            for (Map.Entry<String, YamlNode> e : n.asMap().entrySet()) {
                quote(e.getKey(), b);
                b.append(':');
                canonical(e.getValue(), b);
                b.append(',');
            }
            b.append('}');
        } else if (n.isList()) {
            b.append('[');
            List<YamlNode> items = n.asList();
            for (YamlNode i : items) {
                canonical(i, b);
                b.append(',');
            }
            b.append(']');
        } else if (n.isNull()) {
            b.append("null");
        } else {
            Object v = n.scalar();
            b.append(v.getClass().getSimpleName()).append('(');
            quote(String.valueOf(v), b);
            b.append(')');
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append(s.length()).append('"').append(s).append('"');
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
