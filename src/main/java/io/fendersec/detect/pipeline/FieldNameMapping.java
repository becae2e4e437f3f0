package io.fendersec.detect.pipeline;

import java.util.List;
import java.util.Map;

/** {@code field_name_mapping}: {@code mapping: {From: to}} or {@code {From: [to1, to2]}} (any of them: OR). */
final class FieldNameMapping extends FieldMapper {
    private final Map<String, List<String>> mapping;

    private FieldNameMapping(Map<String, List<String>> mapping) {
        this.mapping = mapping;
    }

    static FieldNameMapping read(Args a) {
        return new FieldNameMapping(a.nameMap("mapping"));
    }

    /** Every field name it maps to. */
    java.util.Set<String> targets() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        mapping.values().forEach(out::addAll);
        return out;
    }

    @Override
    List<String> map(String field) {
        return mapping.get(field);
    }
}
