package io.fendersec.detect;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fendersec.detect.correlate.Baseline;
import io.fendersec.detect.correlate.CorrelationSpec;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.CountCondition;
import io.fendersec.detect.correlate.TemporalCondition;
import io.fendersec.detect.correlate.Travel;

/**
 * A Sigma correlation rule, its references resolved to rule ids.
 *
 * @param rules    the referenced rules' ids, in the order written (it matters for temporal_ordered)
 * @param groupBy  group-by names; each is a field name or an alias
 * @param field    the counted field of a value_count (may be an alias), else null
 * @param aliases  alias → (referenced rule id → field name in that rule's events)
 * @param generate whether the referenced rules also alert on their own
 * @param baseline the baseline of a {@code rate_spike} (Fendersec extension), else null; for it,
 *                 {@code condition} is the {@code min_count} bound
 * @param travel   the settings of an {@code impossible_travel} (Fendersec extension), else null; for
 *                 it, {@code condition} bounds the speed in km/h and {@code field} is the region field
 * @param temporal the Sigma v2.2 expression condition of a temporal or temporal_ordered correlation
 *                 (written, or the implicit and of all rules), else null; with it, {@code condition} is
 *                 {@code gte 1}
 */
public record CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                              Duration timespan, CountCondition condition, String field,
                              Map<String, Map<String, String>> aliases, boolean generate, Baseline baseline,
                              Travel travel, TemporalCondition temporal)
        implements Rule {
    public CorrelationRule {
        rules = List.copyOf(rules);
        groupBy = List.copyOf(groupBy);
        aliases = Map.copyOf(aliases);
    }

    public CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                           Duration timespan, CountCondition condition, String field,
                           Map<String, Map<String, String>> aliases, boolean generate, Baseline baseline,
                           Travel travel) {
        this(info, type, rules, groupBy, timespan, condition, field, aliases, generate, baseline, travel, null);
    }

    public CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                           Duration timespan, CountCondition condition, String field,
                           Map<String, Map<String, String>> aliases, boolean generate) {
        this(info, type, rules, groupBy, timespan, condition, field, aliases, generate, null, null);
    }

    public CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                           Duration timespan, CountCondition condition, String field,
                           Map<String, Map<String, String>> aliases, boolean generate, Baseline baseline) {
        this(info, type, rules, groupBy, timespan, condition, field, aliases, generate, baseline, null);
    }

    /** What the sliding window needs. */
    public CorrelationSpec spec() {
        return new CorrelationSpec(type, timespan.toMillis(), condition, rules, baseline, travel, temporal);
    }

    /** The field holding {@code name} (a group-by name or the value_count field) in events of {@code ruleId}. */
    public String fieldFor(String name, String ruleId) {
        Map<String, String> perRule = aliases.get(name);
        if (perRule != null) {
            String f = perRule.get(ruleId);
            if (f != null) {
                return f;
            }
        }
        return name;
    }

    public CorrelationRule withThreshold(long threshold) {
        return new CorrelationRule(info, type, rules, groupBy, timespan, condition.withThreshold(threshold), field,
                aliases, generate, baseline, travel, temporal);
    }

    public CorrelationRule withTimespan(Duration ts) {
        return new CorrelationRule(info, type, rules, groupBy, ts, condition, field, aliases, generate, baseline, travel,
                temporal);
    }

    @Override
    public String kind() {
        return type.sigmaName();
    }
}
