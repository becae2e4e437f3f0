package io.fendersec.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.correlate.Baseline;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.CountCondition;
import io.fendersec.detect.correlate.TemporalCondition;
import io.fendersec.detect.correlate.Travel;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.model.Durations;

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

    /** What the condition of a correlation sets: the bounds, the counted field, the baseline of a rate_spike. */
    private record Condition(CountCondition bounds, String field, Baseline baseline) {}

    CorrelationRule read(YamlNode doc) {
        RuleInfo info = RuleInfoReader.read(doc);
        YamlNode c = doc.get("correlation");
        for (Map.Entry<String, YamlNode> e : c.asMap().entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw e.getValue().error("unsupported feature: correlation attribute '" + e.getKey() + "'");
            }
        }
        CorrelationType type = type(c);
        YamlNode condNode = c.get("condition");
        boolean expression = condNode != null && condNode.scalar() instanceof String;
        if (expression && type != CorrelationType.TEMPORAL && type != CorrelationType.TEMPORAL_ORDERED) {
            throw condNode.error("correlation.condition: a condition over rule names ('" + condNode.asText()
                    + "') is for temporal and temporal_ordered; a " + type.sigmaName()
                    + " condition is a map of gt, gte, lt, lte, eq, neq");
        }
        List<String> names = referenceNames(c, expression ? condNode.asText() : null);
        List<String> refs = references(c, info, names);
        List<String> groupBy = RuleInfoReader.texts(c.get("group-by"));
        Duration timespan = positiveDuration(c, "timespan", "a correlation needs 'timespan'");
        if (type != CorrelationType.RATE_SPIKE) {
            for (String k : List.of("baseline", "baseline-min")) {
                if (c.get(k) != null) {
                    throw c.get(k).error("'" + k + "' only applies to rate_spike");
                }
            }
        }
        if (type != CorrelationType.IMPOSSIBLE_TRAVEL) {
            for (String k : List.of("location", "min-distance")) {
                if (c.get(k) != null) {
                    throw c.get(k).error("'" + k + "' only applies to impossible_travel");
                }
            }
        }
        TemporalCondition temporal = expression ? TemporalConditions.read(condNode, type, names, refs) : null;
        Condition condition = temporal != null
                ? new Condition(CountCondition.of(CountCondition.Op.GTE, 1), c.text("field"), null)
                : type == CorrelationType.RATE_SPIKE ? rateSpike(c) : countCondition(c, type, refs);
        String field = condition.field();
        if (type == CorrelationType.VALUE_COUNT && field == null) {
            throw c.error("a value_count correlation needs 'field' (in its condition)");
        }
        if (type != CorrelationType.VALUE_COUNT && type != CorrelationType.IMPOSSIBLE_TRAVEL && field != null) {
            throw c.error("'field' only applies to value_count and impossible_travel");
        }
        Travel travel = type == CorrelationType.IMPOSSIBLE_TRAVEL ? travel(c, condition.bounds()) : null;
        return new CorrelationRule(info, type, refs, groupBy, timespan, condition.bounds(), field, aliases(c, refs),
                generate(doc, c), condition.baseline(), travel, temporal);
    }

    private static CorrelationType type(YamlNode c) {
        String name = c.text("type");
        CorrelationType type = CorrelationType.ofSigma(name);
        if (type == null) {
            throw (c.get("type") == null ? c : c.get("type")).error("unsupported feature: correlation type '"
                    + name + "' (event_count, value_count, temporal, temporal_ordered, rate_spike, impossible_travel)");
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
        return new Condition(CountCondition.of(CountCondition.Op.GTE, minCount), c.text("field"),
                new Baseline(length.toMillis(), min.toMillis(), ratio));
    }

    /** Sigma's condition: bounds {@code gt gte lt lte eq neq} and, for value_count, the counted {@code field}. */
    private static Condition countCondition(YamlNode c, CorrelationType type, List<String> refs) {
        String field = c.text("field");
        YamlNode cond = c.get("condition");
        if (cond == null) {
            if (type == CorrelationType.TEMPORAL || type == CorrelationType.TEMPORAL_ORDERED) {
                return new Condition(CountCondition.of(CountCondition.Op.GTE, refs.size()), field, null); // every rule
            }
            if (type == CorrelationType.IMPOSSIBLE_TRAVEL) {
                return new Condition(CountCondition.of(CountCondition.Op.GT, 1000), field, null); // km/h
            }
            throw c.error("a " + c.text("type") + " correlation needs a 'condition'");
        }
        List<CountCondition.Bound> bounds = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : cond.asMap().entrySet()) {
            if (e.getKey().equals("field")) {
                field = e.getValue().asText();
                continue;
            }
            CountCondition.Op op;
            try {
                op = CountCondition.Op.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw e.getValue().error("unsupported feature: condition operator '" + e.getKey()
                        + "' (gt, gte, lt, lte, eq, neq)");
            }
            if (!(e.getValue().scalar() instanceof Long)) {
                throw e.getValue().error("condition '" + e.getKey() + "' needs a whole number");
            }
            bounds.add(new CountCondition.Bound(op, (Long) e.getValue().scalar()));
        }
        if (bounds.isEmpty()) {
            throw cond.error("condition needs gt, gte, lt, lte, eq or neq");
        }
        return new Condition(new CountCondition(bounds), field, null);
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
