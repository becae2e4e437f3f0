package io.fendersec.detect.load;

import java.util.List;

import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.TemporalCondition;
import io.fendersec.detect.sigma.YamlNode;

/**
 * Reads the Sigma v2.2 {@code condition} of a temporal or temporal_ordered correlation written as
 * an expression over rule names ({@link TemporalCondition}). Every problem is one error naming the
 * file, line and {@code correlation.condition}, and the form expected.
 */
final class TemporalConditions {
    private TemporalConditions() {
    }

    /**
     * @param names the referenced rules as written in {@code rules} (or taken from the condition)
     * @param ids   their rule ids, same order
     */
    static TemporalCondition read(YamlNode condition, CorrelationType type, List<String> names, List<String> ids) {
        TemporalCondition t;
        try {
            t = TemporalCondition.parse(condition.asText(), names, ids);
        } catch (IllegalArgumentException e) {
            throw condition.error("correlation.condition: " + e.getMessage());
        }
        if (type == CorrelationType.TEMPORAL_ORDERED) {
            // An ordered window opens at a hit of a rule the condition requires; a rule that is only
            // ever absent and listed before all of those would be looked for before the window opens,
            // that is never: the condition would silently mean less than it says.
            if (t.onlyNegated(0)) {
                throw condition.error("correlation.condition: in temporal_ordered, '" + names.get(0)
                        + "' is only negated and listed before every rule the condition requires; absence is"
                        + " judged after the window opens at a required rule's hit (\"a not followed by b\"),"
                        + " so list it after one, or use type temporal");
            }
        }
        return t;
    }
}
