package io.fendersec.detect.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.detect.rule.RuleInfo;
import io.fendersec.detect.rule.RuleSet;

/**
 * Keeps out the rules that cannot run on Bugfender logs, and says why: a rule whose
 * {@code logsource} names another product reads fields those logs do not have, and its negations
 * would fire on every log; a correlation over such a rule (or over such a correlation) cannot
 * run either. Rules with no logsource, no product or {@code product: bugfender} apply.
 */
final class LogsourceFilter {
    private final boolean anyLogsource;
    private final List<RuleSet.Skipped> skipped = new ArrayList<>();
    /** Ids and names of the skipped rules, as correlations reference them. */
    private final Set<String> skippedRefs = new HashSet<>();

    /** @param anyLogsource keep rules whatever product they name (conformance runs over foreign rule sets) */
    LogsourceFilter(boolean anyLogsource) {
        this.anyLogsource = anyLogsource;
    }

    /** Whether to skip {@code doc}, a detection rule; if so it is recorded. Checks every rule's logsource. */
    boolean skips(YamlNode doc) {
        String foreign = anyLogsource ? null : foreignProduct(doc);
        if (foreign == null || doc.get("correlation") != null) {
            return false;
        }
        skip(doc, "logsource product '" + foreign + "' (Bugfender logs are product " + RuleLoader.PRODUCT + ")");
        return true;
    }

    /** The correlations that can run: those over a skipped rule, directly or through others, are recorded and left out. */
    List<YamlNode> runnable(List<YamlNode> correlations) {
        List<YamlNode> pending = new ArrayList<>(correlations);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Iterator<YamlNode> it = pending.iterator(); it.hasNext(); ) {
                YamlNode doc = it.next();
                String missing = skippedReference(doc);
                if (missing != null) {
                    skip(doc, "uses skipped rule '" + missing + "'");
                    it.remove();
                    changed = true;
                }
            }
        }
        return pending;
    }

    List<RuleSet.Skipped> skipped() {
        return List.copyOf(skipped);
    }

    private void skip(YamlNode doc, String reason) {
        RuleInfo info = RuleInfoReader.read(doc);
        skipped.add(new RuleSet.Skipped(info.id(), info.title(), info.source(), reason));
        for (String k : List.of("id", "name")) {
            if (doc.get(k) != null && doc.get(k).isScalar() && doc.text(k) != null) {
                skippedRefs.add(doc.text(k));
            }
        }
    }

    /** The product of a rule's {@code logsource} when it is not Bugfender's, else null. */
    private static String foreignProduct(YamlNode doc) {
        YamlNode ls = doc.get("logsource");
        if (ls == null || ls.isNull()) {
            return null;
        }
        if (!ls.isMap()) {
            throw ls.error("logsource is a mapping like {product: bugfender}");
        }
        YamlNode product = ls.get("product");
        if (product == null || product.isNull()) {
            return null;
        }
        String p = product.asText();
        return p.strip().equalsIgnoreCase(RuleLoader.PRODUCT) ? null : p;
    }

    private String skippedReference(YamlNode doc) {
        YamlNode c = doc.get("correlation");
        YamlNode rs = c == null ? null : c.get("rules");
        if (rs == null) {
            return null;
        }
        for (YamlNode r : rs.asListOrSingle()) {
            if (r.isScalar() && skippedRefs.contains(r.asText())) {
                return r.asText();
            }
        }
        return null;
    }
}
