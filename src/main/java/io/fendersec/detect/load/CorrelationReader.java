package io.fendersec.detect.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.correlate.Baseline;
import io.fendersec.detect.correlate.CorrelationKind;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.CountCondition;
import io.fendersec.detect.correlate.MetricValue;
import io.fendersec.detect.correlate.TemporalCondition;
import io.fendersec.detect.correlate.Travel;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.model.Durations;
import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.RuleInfo;

/**
 * Builds a {@link CorrelationRule} from a Sigma correlation document (and the Fendersec
 * {@code rate_spike} extension), its references resolved to rule ids. Every problem is a
 * {@link io.fendersec.error.ConfigException} naming the file and line.
 */
final class CorrelationReader {
    private static final Set<String> KEYS = Set.of("type", "rules", "group-by", "timespan", "condition", "aliases",
            "field", "generate", "baseline", "baseline-min", "location", "min-distance");
    /** The default of an impossible_travel's {@code min-distance}, km. */
    static final double DEFAULT_MIN_KM = 500;

    /** A rule's Sigma id or name → its rule id, over every loaded document. */
    private final Map<String, String> refIds;

    CorrelationReader(Map<String, String> refIds) {
        this.refIds = Map.copyOf(refIds);
    }

    /** What the condition of a correlation sets: the bounds, the counted field(s), the baseline of a rate_spike. */
    private record Condition(CountCondition bounds, YamlNode field, Baseline baseline) {}

    CorrelationRule read(YamlNode doc) {
        RuleInfo info = RuleInfoReader.read(doc);
        YamlNode c = doc.get("correlation");
        for (Map.Entry<String, YamlNode> e : c.asMap().entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw e.getValue().error("unsupported feature: correlation attribute '" + e.getKey() + "'");
            }
        }
        CorrelationType type = type(c);
        CorrelationKind kind = type.kind();
        YamlNode condNode = c.get("condition");
        boolean expression = condNode != null && condNode.scalar() instanceof String;
        if (expression && !kind.takesExpression()) {
            throw condNode.error("correlation.condition: a condition over rule names ('" + condNode.asText()
                    + "') is for temporal and temporal_ordered; a " + type.sigmaName()
                    + " condition is a map of gt, gte, lt, lte, eq, neq");
        }
        List<String> names = referenceNames(c, expression ? condNode.asText() : null);
        List<String> refs = references(c, info, names);
        List<String> groupBy = RuleInfoReader.texts(c.get("group-by"));
        Duration timespan = positiveDuration(c, "timespan", "a correlation needs 'timespan'");
        for (CorrelationType other : CorrelationType.values()) {
            for (String k : other.kind().ownKeys()) {
                if (c.get(k) != null && !kind.ownKeys().contains(k)) {
                    throw c.get(k).error("'" + k + "' only applies to " + other.sigmaName());
                }
            }
        }
        TemporalCondition temporal = expression ? TemporalConditions.read(condNode, type, names, refs) : null;
        Condition condition = temporal != null
                ? new Condition(CountCondition.of(CountCondition.Op.GTE, 1), c.get("field"), null)
                : type == CorrelationType.RATE_SPIKE ? rateSpike(c) : countCondition(c, kind, refs);
        List<String> fields = fields(c, type, condition.field());
        Travel travel = type == CorrelationType.IMPOSSIBLE_TRAVEL ? travel(c, condition.bounds()) : null;
        return new CorrelationRule(info, type, refs, groupBy, timespan, condition.bounds(), fields, aliases(c, refs),
                generate(doc, c), condition.baseline(), travel, temporal);
    }

    /** The counted or measured field(s), as the type uses them ({@link CorrelationKind.FieldUse}). */
    private static List<String> fields(YamlNode c, CorrelationType type, YamlNode field) {
        CorrelationKind.FieldUse use = type.kind().fieldUse();
        if (field == null || field.isNull()) {
            if (use == CorrelationKind.FieldUse.ONE || use == CorrelationKind.FieldUse.ONE_OR_LIST) {
                throw c.error("a " + type.sigmaName() + " correlation needs 'field' (in its condition)");
            }
            return List.of();
        }
        if (use == CorrelationKind.FieldUse.NONE) {
            throw field.error("'field' does not apply to " + type.sigmaName());
        }
        if (field.isList() && use != CorrelationKind.FieldUse.ONE_OR_LIST) {
            throw field.error("a " + type.sigmaName() + " correlation takes one 'field', not a list");
        }
        List<String> fields = RuleInfoReader.texts(field);
        if (fields.isEmpty() || fields.stream().anyMatch(String::isEmpty)) {
            throw field.error("'field' needs field names");
        }
        return fields;
    }

    private static CorrelationType type(YamlNode c) {
        String name = c.text("type");
        CorrelationType type = CorrelationType.ofSigma(name);
        if (type == null) {
            throw (c.get("type") == null ? c : c.get("type")).error("unsupported feature: correlation type '"
                    + name + "' (" + String.join(", ", java.util.Arrays.stream(CorrelationType.values())
                    .map(CorrelationType::sigmaName).toList()) + ")");
        }
        return type;
    }

    /**
     * The referenced rules as written: {@code rules}, or (Sigma v2.2, temporal types) the names a
     * condition over rule names gives in the order it first names them.
     */
    private static List<String> referenceNames(YamlNode c, String expression) {
        YamlNode rulesNode = c.get("rules");
        if (rulesNode == null || rulesNode.isNull()) {
            if (expression != null) {
                return TemporalCondition.namesIn(expression);
            }
            throw c.error("a correlation needs 'rules'");
        }
        List<String> names = new ArrayList<>();
        for (YamlNode r : rulesNode.asListOrSingle()) {
            names.add(r.asText());
        }
        return names;
    }

    private List<String> references(YamlNode c, RuleInfo info, List<String> names) {
        YamlNode rulesNode = c.get("rules");
        List<YamlNode> nodes = rulesNode == null || rulesNode.isNull() ? null : rulesNode.asListOrSingle();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String id = refIds.get(names.get(i));
            if (id == null) {
                YamlNode at = nodes != null ? nodes.get(i) : c.get("condition");
                throw at.error("correlation '" + info.id() + "' references unknown rule '" + names.get(i) + "'");
            }
            refs.add(id);
        }
        return refs;
    }

    /** A duration longer than 0 at {@code key}; {@code missing} is the message when there is none. */
    private static Duration positiveDuration(YamlNode c, String key, String missing) {
        YamlNode n = c.get(key);
        if (n == null || n.isNull()) {
            throw c.error(missing + ", " + Durations.EXPECTED);
        }
        Duration d = Durations.parse(n.asText());
        if (d == null) {
            throw n.error(Durations.invalid(key, n.asText()));
        }
        if (d.isZero()) {
            throw n.error(key + ": expected a duration longer than 0, got '" + n.asText() + "'");
        }
        return d;
    }

    /**
     * Fendersec's impossible_travel: {@code condition: {gt: KMH, field: REGION}} (one lower bound on the
     * speed; the region field is optional), {@code location} (default {@code geo.location}) and
     * {@code min-distance} in km (default {@value #DEFAULT_MIN_KM}).
     */
    private static Travel travel(YamlNode c, CountCondition speed) {
        if (speed.bounds().size() != 1 || (speed.bounds().get(0).op() != CountCondition.Op.GT
                && speed.bounds().get(0).op() != CountCondition.Op.GTE)) {
            throw c.get("condition").error("an impossible_travel condition is one speed bound in km/h, gt or gte"
                    + " (e.g. {gt: 1000, field: geo.region})");
        }
        String location = c.get("location") == null ? "geo.location" : c.text("location");
        double minKm = DEFAULT_MIN_KM;
        YamlNode m = c.get("min-distance");
        if (m != null) {
            if (!(m.scalar() instanceof Number) || !(((Number) m.scalar()).doubleValue() >= 0)
                    || Double.isInfinite(((Number) m.scalar()).doubleValue())) {
                throw m.error("min-distance needs a number of kilometres >= 0");
            }
            minKm = ((Number) m.scalar()).doubleValue();
        }
        return new Travel(location, minKm);
    }

    /** Fendersec's rate_spike: {@code condition: {ratio_gte: R, min_count: M}}, {@code baseline} and {@code baseline-min}. */
    private static Condition rateSpike(YamlNode c) {
        YamlNode cond = c.get("condition");
        if (cond == null) {
            throw c.error("a rate_spike correlation needs a 'condition' with ratio_gte and min_count");
        }
        Double ratio = null;
        Long minCount = null;
        for (Map.Entry<String, YamlNode> e : cond.asMap().entrySet()) {
            Object v = e.getValue().scalar();
            if (e.getKey().equals("ratio_gte")) {
                if (!(v instanceof Number) || !(((Number) v).doubleValue() > 0)) {
                    throw e.getValue().error("ratio_gte needs a positive number");
                }
                ratio = ((Number) v).doubleValue();
            } else if (e.getKey().equals("min_count")) {
                if (!(v instanceof Long) || (Long) v < 1) {
                    throw e.getValue().error("min_count needs a whole number >= 1");
                }
                minCount = (Long) v;
            } else {
                throw e.getValue().error("unsupported feature: rate_spike condition '" + e.getKey()
                        + "' (ratio_gte, min_count)");
            }
        }
        if (ratio == null || minCount == null) {
            throw cond.error("a rate_spike condition needs ratio_gte and min_count");
        }
        Duration length = positiveDuration(c, "baseline", "a rate_spike correlation needs 'baseline'");
        Duration min = length;
        YamlNode minNode = c.get("baseline-min");
        if (minNode != null) {
            min = Durations.parse(minNode.asText());
            if (min == null || min.compareTo(length) > 0) {
                throw minNode.error("baseline-min needs " + Durations.EXPECTED + ", no longer than baseline");
            }
        }
        return new Condition(CountCondition.of(CountCondition.Op.GTE, minCount), c.get("field"),
                new Baseline(length.toMillis(), min.toMillis(), ratio));
    }

    /**
     * Sigma's condition: bounds {@code gt gte lt lte eq neq} (whole numbers, or decimals for the
     * metric types), the counted or measured {@code field} (a list for value_count) and, for
     * value_percentile, the {@code percentile}.
     */
    private static Condition countCondition(YamlNode c, CorrelationKind kind, List<String> refs) {
        YamlNode field = c.get("field");
        YamlNode cond = c.get("condition");
        if (cond == null) {
            CountCondition byDefault = kind.defaultCondition(refs.size());
            if (byDefault != null) {
                return new Condition(byDefault, field, null);
            }
            throw c.error("a " + c.text("type") + " correlation needs a 'condition'");
        }
        List<CountCondition.Bound> bounds = new ArrayList<>();
        Integer percentile = null;
        for (Map.Entry<String, YamlNode> e : cond.asMap().entrySet()) {
            if (e.getKey().equals("field")) {
                field = e.getValue();
                continue;
            }
            if (e.getKey().equals("percentile") && kind.takesPercentile()) {
                Object p = e.getValue().scalar();
                if (!(p instanceof Long) || (Long) p < 1 || (Long) p > 100) {
                    throw e.getValue().error("percentile needs a whole number from 1 to 100");
                }
                percentile = ((Long) p).intValue();
                continue;
            }
            CountCondition.Op op;
            try {
                op = CountCondition.Op.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw e.getValue().error("unsupported feature: condition operator '" + e.getKey()
                        + "' (gt, gte, lt, lte, eq, neq" + (kind.takesPercentile() ? ", percentile" : "") + ")");
            }
            bounds.add(new CountCondition.Bound(op, threshold(e.getKey(), e.getValue(), kind)));
        }
        if (bounds.isEmpty()) {
            throw cond.error("condition needs gt, gte, lt, lte, eq or neq");
        }
        if (kind.takesPercentile() && percentile == null) {
            throw cond.error("a value_percentile condition needs 'percentile' (1 to 100)");
        }
        return new Condition(new CountCondition(bounds, percentile), field, null);
    }

    /** A bound's number: whole for the count types, any finite decimal for the metric types. */
    private static BigDecimal threshold(String op, YamlNode n, CorrelationKind kind) {
        Object v = n.scalar();
        if (v instanceof Long) {
            return BigDecimal.valueOf((Long) v);
        }
        if (kind.fractionalBounds() && v instanceof Number) {
            BigDecimal d = MetricValue.parse(n.asText());
            if (d != null) {
                return d;
            }
        }
        throw n.error("condition '" + op + "' needs a " + (kind.fractionalBounds() ? "number" : "whole number"));
    }

    /** alias → (referenced rule id → the field name in that rule's events). */
    private Map<String, Map<String, String>> aliases(YamlNode c, List<String> refs) {
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        YamlNode al = c.get("aliases");
        if (al == null || al.isNull()) {
            return aliases;
        }
        for (Map.Entry<String, YamlNode> a : al.asMap().entrySet()) {
            Map<String, String> perRule = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> pr : a.getValue().asMap().entrySet()) {
                String id = refIds.get(pr.getKey());
                if (id == null || !refs.contains(id)) {
                    throw pr.getValue().error("alias '" + a.getKey() + "' names '" + pr.getKey()
                            + "', which this correlation does not reference");
                }
                perRule.put(id, pr.getValue().asText());
            }
            aliases.put(a.getKey(), Map.copyOf(perRule));
        }
        return aliases;
    }

    /** Whether the referenced rules also alert on their own: {@code generate} in the correlation or beside it. */
    private static boolean generate(YamlNode doc, YamlNode c) {
        YamlNode gen = c.get("generate") != null ? c.get("generate") : doc.get("generate");
        if (gen == null) {
            return false;
        }
        if (!(gen.scalar() instanceof Boolean)) {
            throw gen.error("generate is true or false");
        }
        return (Boolean) gen.scalar();
    }
}
