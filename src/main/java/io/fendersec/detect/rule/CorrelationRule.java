package io.fendersec.detect.rule;

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
 * @param fields   the field a value_count counts, a metric type (value_sum, ...) measures or an
 *                 impossible_travel takes regions from (each may be an alias); value_count's may be
 *                 a list (distinct combinations); empty for the other types
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
                              Duration timespan, CountCondition condition, List<String> fields,
                              Map<String, Map<String, String>> aliases, boolean generate, Baseline baseline,
                              Travel travel, TemporalCondition temporal)
        implements Rule {
    public CorrelationRule {
        rules = List.copyOf(rules);
        fields = List.copyOf(fields);
        groupBy = List.copyOf(groupBy);
        aliases = Map.copyOf(aliases);
    }

    public CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                           Duration timespan, CountCondition condition, List<String> fields,
                           Map<String, Map<String, String>> aliases, boolean generate, Baseline baseline,
                           Travel travel) {
        this(info, type, rules, groupBy, timespan, condition, fields, aliases, generate, baseline, travel, null);
    }

    public CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                           Duration timespan, CountCondition condition, String field,
                           Map<String, Map<String, String>> aliases, boolean generate) {
        this(info, type, rules, groupBy, timespan, condition, field, aliases, generate, null);
    }

    public CorrelationRule(RuleInfo info, CorrelationType type, List<String> rules, List<String> groupBy,
                           Duration timespan, CountCondition condition, String field,
                           Map<String, Map<String, String>> aliases, boolean generate, Baseline baseline) {
        this(info, type, rules, groupBy, timespan, condition, field == null ? List.of() : List.of(field), aliases,
                generate, baseline, null);
    }

    /** The field, or the list of them printed, null when none: what fingerprints and messages show. */
    public String field() {
        return fields.isEmpty() ? null : fields.size() == 1 ? fields.get(0) : fields.toString();
    }

    /** What the sliding window needs. */
    public CorrelationSpec spec() {
        return new CorrelationSpec(type, timespan.toMillis(), condition, rules, baseline, travel, temporal);
    }

    /** The fields of {@link #fields} as named in events of {@code ruleId} (aliases resolved). */
    public List<String> fieldsFor(String ruleId) {
        return fields.stream().map(f -> fieldFor(f, ruleId)).toList();
    }

    /** The field holding {@code name} (a group-by name or a counted field) in events of {@code ruleId}. */
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
        return new CorrelationRule(info, type, rules, groupBy, timespan, condition.withThreshold(threshold), fields,
                aliases, generate, baseline, travel, temporal);
    }

    public CorrelationRule withTimespan(Duration ts) {
        return new CorrelationRule(info, type, rules, groupBy, ts, condition, fields, aliases, generate, baseline, travel,
                temporal);
    }

    @Override
    public String kind() {
        return type.sigmaName();
    }
}
