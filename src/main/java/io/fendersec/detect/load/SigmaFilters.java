package io.fendersec.detect.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.sigma.DetectionCompiler;
import io.fendersec.detect.sigma.DetectionParser;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;
import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.rule.SigmaFilter;

/**
 * Reads Sigma filter documents (Sigma Filters specification v2.0.0; {@code title},
 * {@code logsource} and {@code filter} with {@code rules}, search identifiers and a
 * {@code condition}) against the rules already loaded. Decisions where the specification is
 * silent or tools differ, each explicit:
 * <ul>
 *   <li>A rule reference that names no rule read is an error (pySigma ignores it): a filter whose
 *       rule id is misspelt would silently leave the noise it was written to silence. A reference
 *       to a rule skipped for its logsource is dropped; a filter left with none is skipped too.</li>
 *   <li>The filter's {@code logsource} must cover each rule it names (pySigma's rule: each of
 *       category, product, service the filter sets equals the rule's; a rule without a product is
 *       a Bugfender rule). A rule it does not cover is an error, not a silent no-op. A filter naming
 *       another product is skipped like such rules.</li>
 *   <li>{@code rules: any} (v2.2 draft) applies the filter to every loaded detection rule its
 *       logsource covers, built-in ones included; correlations have no logsource and are left out
 *       (name one to filter it). A filter {@code any} that covers no rule is skipped, and listed so.</li>
 *   <li>A filter (or exception) may name a correlation whose rules are detections (a Fendersec
 *       extension: pySigma leaves correlations unfiltered): a log the filter drops does not count
 *       for that correlation, and still counts for others. A correlation over correlations is refused:
 *       its input is episodes, not logs.</li>
 * </ul>
 */
final class SigmaFilters {
    private static final Set<String> KEYS = Set.of("title", "id", "name", "description", "date", "modified",
            "logsource", "filter", "author", "status", "license", "references", "tags", "falsepositives");

    /** {@code filter.rules: any} (Sigma Filters v2.2 draft): every rule the filter's logsource covers. */
    static final String ANY = "any";

    private final RuleSet rules;
    private final Map<String, String> refIds;
    private final Map<String, YamlNode> logsources;
    private final DetectionParser parser;
    private final boolean anyLogsource;
    private final List<RuleSet.Skipped> skipped = new ArrayList<>();

    SigmaFilters(RuleSet rules, Map<String, String> refIds, Map<String, YamlNode> logsources, DetectionParser parser,
            boolean anyLogsource) {
        this.rules = rules;
        this.refIds = refIds;
        this.logsources = logsources;
        this.parser = parser;
        this.anyLogsource = anyLogsource;
    }

    /** A filter document: {@code filter:} and neither {@code detection} nor {@code correlation}. */
    static boolean isFilter(YamlNode doc) {
        return doc.isMap() && doc.get("filter") != null && doc.get("detection") == null
                && doc.get("correlation") == null;
    }

    /** Filters skipped (another product, or every rule they name skipped), with the reason. */
    List<RuleSet.Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /** The filter, or null when it is skipped. */
    SigmaFilter read(YamlNode doc) {
        for (String k : doc.asMap().keySet()) {
            if (!KEYS.contains(k)) {
                throw doc.get(k).error("unknown key '" + k + "' in a Sigma filter (expected title, id, logsource, filter, ...)");
            }
        }
        String title = doc.text("title");
        if (title == null || title.isBlank()) {
            throw doc.error("a Sigma filter needs a 'title'");
        }
        String id = doc.text("name") != null ? doc.text("name") : doc.text("id") != null ? doc.text("id") : title;
        String label = "filter '" + id + "'";
        YamlNode ls = doc.get("logsource");
        if (ls == null || !ls.isMap()) {
            throw doc.error(label + " needs a 'logsource' mapping, e.g. {product: bugfender}");
        }
        String product = ls.text("product");
        if (!anyLogsource && product != null && !product.strip().equalsIgnoreCase(RuleLoader.PRODUCT)) {
            skipped.add(new RuleSet.Skipped(id, title, doc.where(),
                    "Sigma filter for logsource product '" + product + "' (Bugfender logs are product "
                            + RuleLoader.PRODUCT + ")"));
            return null;
        }
        YamlNode body = doc.get("filter");
        if (!body.isMap()) {
            throw body.error(label + ": 'filter' is a mapping with rules, selections and a condition");
        }
        YamlNode refs = body.get("rules");
        if (refs == null || refs.isNull() || (refs.isList() && refs.asList().isEmpty())) {
            throw body.error(label + ": filter.rules is required: the ids or names of the rules it applies to");
        }
        if (body.get("condition") == null || !body.get("condition").isScalar()) {
            throw body.error(label + ": filter.condition is required, one condition (e.g. not selection)");
        }
        List<String> on = new ArrayList<>();
        String skippedRef = null;
        if (refs.isScalar() && ANY.equals(refs.asText())) {
            on.addAll(covered(ls));
            if (on.isEmpty()) {
                skipped.add(new RuleSet.Skipped(id, title, doc.where(),
                        "Sigma filter for every rule of its logsource ('rules: any'): no loaded rule has that logsource"));
                return null;
            }
        }
        for (YamlNode r : on.isEmpty() ? refs.asListOrSingle() : List.<YamlNode>of()) {
            String ref = r.isScalar() ? r.asText() : null;
            if (ref == null || ref.isBlank()) {
                throw r.error(label + ": filter.rules lists rule ids or names");
            }
            String ruleId = refIds.getOrDefault(ref, ref);
            Rule rule = rules.rule(ruleId);
            if (rule == null) {
                if (rules.skipped().stream().anyMatch(s -> s.id().equals(ruleId))) {
                    skippedRef = ref; // the rule does not run here, nor does its filter
                    continue;
                }
                throw r.error(label + " names rule '" + ref + "', which is not loaded (a rule's id or name)");
            }
            checkApplicable(rule, rules, r.where() + ": " + label);
            checkLogsource(ls, rule, r, label);
            if (!on.contains(ruleId)) {
                on.add(ruleId);
            }
        }
        if (on.isEmpty()) {
            skipped.add(new RuleSet.Skipped(id, title, doc.where(), "Sigma filter of skipped rule '" + skippedRef + "'"));
            return null;
        }
        Map<String, YamlNode> detection = new LinkedHashMap<>(body.asMap());
        detection.remove("rules");
        if (detection.size() < 2) {
            throw body.error(label + ": the filter has no selection for its condition");
        }
        return new SigmaFilter(id, title, on, doc.where(),
                DetectionCompiler.compile(parser.detection(YamlNode.of(detection, doc.file()))));
    }

    /**
     * The detection rules whose logsource {@code filterLs} covers (Sigma Filters v2.2 draft,
     * {@code rules: any}: "all Sigma rules matching the specified logsource"): each of category,
     * product and service the filter sets equals the rule's, a rule without product being a
     * Bugfender rule. Correlations have no logsource of their own, so {@code any} leaves them out.
     */
    private List<String> covered(YamlNode filterLs) {
        List<String> out = new ArrayList<>();
        for (Rule rule : rules.rules().values()) {
            if (rule instanceof CorrelationRule) {
                continue;
            }
            YamlNode ruleLs = logsources.get(rule.id());
            boolean all = true;
            for (String k : List.of("category", "product", "service")) {
                String want = filterLs.text(k);
                if (want == null) {
                    continue;
                }
                String have = ruleLs == null ? null : ruleLs.text(k);
                if (have == null && k.equals("product")) {
                    have = RuleLoader.PRODUCT;
                }
                all &= have != null && have.strip().equalsIgnoreCase(want.strip());
            }
            if (all) {
                out.add(rule.id());
            }
        }
        return out;
    }

    /** Refuses a correlation over correlations: its matches are episodes, not logs a filter could look at. */
    static void checkApplicable(Rule rule, RuleSet rules, String where) {
        if (rule instanceof CorrelationRule c) {
            for (String ref : c.rules()) {
                if (rules.rule(ref) instanceof CorrelationRule) {
                    throw new ConfigException(where + ": '" + rule.id() + "' is a correlation over correlation '" + ref
                            + "': filters and exceptions apply to detections and to correlations over detections; "
                            + "name '" + ref + "' instead");
                }
            }
        }
    }

    private void checkLogsource(YamlNode filterLs, Rule rule, YamlNode at, String label) {
        if (rule instanceof CorrelationRule) {
            return; // no logsource of its own
        }
        YamlNode ruleLs = logsources.get(rule.id());
        for (String k : List.of("category", "product", "service")) {
            String want = filterLs.text(k);
            if (want == null) {
                continue;
            }
            String have = ruleLs == null ? null : ruleLs.text(k);
            if (have == null && k.equals("product")) {
                have = RuleLoader.PRODUCT; // a rule without a product runs as a Bugfender rule
            }
            if (have == null || !have.strip().equalsIgnoreCase(want.strip())) {
                throw at.error(label + ": its logsource " + k + " '" + want + "' does not cover rule '" + rule.id()
                        + "' (" + k + " " + (have == null ? "not set" : "'" + have + "'") + ")");
            }
        }
    }
}
