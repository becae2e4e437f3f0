package io.fendersec.detect.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one registry of transformation types, by their pySigma names. A new type is one small
 * class implementing {@link Transformation} with a factory reading its parameters, plus one line
 * here. A type not listed is a config error naming the file, the item and its id.
 */
final class Transformations {
    private static final Map<String, Function<Args, Transformation>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("field_name_mapping", FieldNameMapping::read);
        TYPES.put("field_name_prefix_mapping", FieldNamePrefixMapping::read);
        TYPES.put("field_name_prefix", FieldNameAffix::prefix);
        TYPES.put("field_name_suffix", FieldNameAffix::suffix);
        TYPES.put("add_condition", AddCondition::read);
        TYPES.put("change_logsource", ChangeLogsource::read);
        TYPES.put("replace_string", ReplaceString::read);
        TYPES.put("value_placeholders", Placeholders::values);
        TYPES.put("wildcard_placeholders", Placeholders::wildcards);
        TYPES.put("drop_detection_item", a -> new DropDetectionItem());
        TYPES.put("rule_failure", Failure::rule);
        TYPES.put("detection_item_failure", Failure::detectionItem);
        for (String outputOnly : List.of("add_field", "remove_field", "set_field", "set_state", "set_custom_attribute")) {
            TYPES.put(outputOnly, NoEffect::read);
        }
    }

    private Transformations() {}

    static Function<Args, Transformation> reader(String type) {
        return TYPES.get(type);
    }

    static List<String> names() {
        return List.copyOf(TYPES.keySet());
    }
}
