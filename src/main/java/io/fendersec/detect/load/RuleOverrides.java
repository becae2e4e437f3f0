package io.fendersec.detect.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.error.ConfigException;
import io.fendersec.model.Durations;
import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.Rule;

/**
 * {@code rules.overrides}: per correlation, a {@code threshold} that replaces the number of a
 * single-bound condition and a {@code timespan} (a duration of {@link Durations}' grammar).
 * Errors name the dotted key path, e.g. {@code rules.overrides.brute-force.timespan}.
 */
final class RuleOverrides {
    private static final Set<String> KEYS = Set.of("threshold", "timespan");

    private RuleOverrides() {}

    /** {@code rules} with the overrides applied, in the same order. */
    static List<Rule> apply(List<Rule> rules, Map<String, Map<String, Object>> overrides) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule r : rules) {
            // Checked here, before the map would keep only one of two rules with the same id.
            Rule prev = byId.put(r.id(), r);
            if (prev != null) {
                throw new ConfigException(r.info().source() + ": rule id '" + r.id() + "' is already used at "
                        + prev.info().source() + " (give the rule another name, or leave the built-in one out"
                        + " with rules.builtin)");
            }
        }
        for (Map.Entry<String, Map<String, Object>> o : overrides.entrySet()) {
            String where = "rules.overrides." + o.getKey();
            Rule r = byId.get(o.getKey());
            if (r == null) {
                throw new ConfigException(where + ": no rule with id '" + o.getKey() + "' is loaded");
            }
            if (!(r instanceof CorrelationRule)) {
                throw new ConfigException(where + ": '" + o.getKey()
                        + "' is a detection rule; threshold and timespan apply to correlations");
            }
            CorrelationRule c = (CorrelationRule) r;
            for (Map.Entry<String, Object> kv : o.getValue().entrySet()) {
                if (!KEYS.contains(kv.getKey())) {
                    throw new ConfigException(where + "." + kv.getKey() + ": unknown override (threshold, timespan)");
                }
                c = kv.getKey().equals("threshold") ? threshold(c, where + ".threshold", kv.getValue())
                        : c.withTimespan(timespan(where + ".timespan", kv.getValue()));
            }
            byId.put(c.id(), c);
        }
        return new ArrayList<>(byId.values());
    }

    private static CorrelationRule threshold(CorrelationRule c, String where, Object v) {
        if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())) {
            throw new ConfigException(where + ": expected a whole number, got " + v);
        }
        if (c.temporal() != null) {
            throw new ConfigException(where + ": rule '" + c.id() + "' has the condition '" + c.temporal()
                    + "' over rule names; a threshold replaces a count bound");
        }
        try {
            return c.withThreshold(((Number) v).longValue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": rule '" + c.id() + "' has the range condition "
                    + c.condition() + "; a threshold replaces a single bound");
        }
    }

    private static Duration timespan(String where, Object v) {
        Duration d = Durations.require(where, String.valueOf(v));
        if (d.isZero()) {
            throw new ConfigException(where + ": expected a duration longer than 0, got '" + v + "'");
        }
        return d;
    }
}
