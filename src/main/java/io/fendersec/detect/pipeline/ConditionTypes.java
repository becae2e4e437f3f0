package io.fendersec.detect.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one registry of processing condition types, by their pySigma names and kinds. A new
 * condition is a class implementing one of {@link Condition}'s kinds plus one line here.
 */
final class ConditionTypes {
    static final Map<String, Function<Args, Condition.OnRule>> RULE = new LinkedHashMap<>();
    static final Map<String, Function<Args, Condition.OnItem>> ITEM = new LinkedHashMap<>();
    static final Map<String, Function<Args, Condition.OnField>> FIELD = new LinkedHashMap<>();

    static {
        RULE.put("logsource", LogsourceCondition::read);
        RULE.put("rule_attribute", RuleAttributeCondition::read);
        RULE.put("tag", TagCondition::read);
        RULE.put("contains_field", ContainsFieldCondition::read);
        RULE.put("processing_item_applied", AppliedCondition::read);
        RULE.put("is_sigma_rule", a -> new RuleKindCondition(false));
        RULE.put("is_sigma_correlation_rule", a -> new RuleKindCondition(true));

        ITEM.put("match_string", ValueCondition::matchString);
        ITEM.put("is_null", ValueCondition::isNull);
        ITEM.put("contains_wildcard", ValueCondition::containsWildcard);
        ITEM.put("processing_item_applied", AppliedCondition::read);

        FIELD.put("include_fields", a -> FieldListCondition.read(a, false));
        FIELD.put("exclude_fields", a -> FieldListCondition.read(a, true));
        FIELD.put("processing_item_applied", AppliedCondition::read);
    }

    private ConditionTypes() {}
}
