package io.fendersec.detect.pipeline;

import java.util.List;
import java.util.Map;

/**
 * {@code field_name_prefix_mapping}: {@code mapping: {win.: event_data.}} renames every field that
 * starts with a prefix; the first prefix (in file order) that matches wins, as in pySigma.
 */
final class FieldNamePrefixMapping extends FieldMapper {
    private final Map<String, List<String>> mapping;

    private FieldNamePrefixMapping(Map<String, List<String>> mapping) {
        this.mapping = mapping;
    }

    static FieldNamePrefixMapping read(Args a) {
        return new FieldNamePrefixMapping(a.nameMap("mapping"));
    }

    @Override
    List<String> map(String field) {
        for (Map.Entry<String, List<String>> e : mapping.entrySet()) {
            if (field.startsWith(e.getKey())) {
                String rest = field.substring(e.getKey().length());
                return e.getValue().stream().map(p -> p + rest).toList();
            }
        }
        return null;
    }
}
