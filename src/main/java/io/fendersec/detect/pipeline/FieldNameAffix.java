package io.fendersec.detect.pipeline;

import java.util.List;

/** {@code field_name_prefix} and {@code field_name_suffix}: adds text before or after every field name. */
final class FieldNameAffix extends FieldMapper {
    private final String prefix;
    private final String suffix;

    private FieldNameAffix(String prefix, String suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    static FieldNameAffix prefix(Args a) {
        return new FieldNameAffix(a.text("prefix", true), "");
    }

    static FieldNameAffix suffix(Args a) {
        return new FieldNameAffix("", a.text("suffix", true));
    }

    @Override
    List<String> map(String field) {
        return List.of(prefix + field + suffix);
    }
}
