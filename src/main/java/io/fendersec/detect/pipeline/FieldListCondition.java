package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * {@code include_fields} and {@code exclude_fields}: the field name is (not) one of {@code fields},
 * compared as written ({@code mode: plain}, the default) or as regular expressions matched from
 * the start ({@code mode: re}, Python's {@code re.match}). A keyword search has no field: include
 * never holds for it, exclude always does.
 */
final class FieldListCondition implements Condition.OnField {
    private final List<String> fields;
    private final List<Pattern> patterns;
    private final boolean exclude;

    private FieldListCondition(List<String> fields, List<Pattern> patterns, boolean exclude) {
        this.fields = fields;
        this.patterns = patterns;
        this.exclude = exclude;
    }

    static FieldListCondition read(Args a, boolean exclude) {
        List<String> fields = a.texts("fields", true);
        String mode = a.text("mode", false);
        List<Pattern> patterns = null;
        if ("re".equals(mode)) {
            patterns = new ArrayList<>();
            for (String f : fields) {
                try {
                    patterns.add(Pattern.compile(f));
                } catch (PatternSyntaxException e) {
                    throw a.error("fields", "not a regular expression: '" + f + "': " + e.getDescription());
                }
            }
        } else if (mode != null && !mode.equals("plain")) {
            throw a.error("mode", "expected 'plain' or 're', got '" + mode + "'");
        }
        return new FieldListCondition(List.copyOf(fields), patterns, exclude);
    }

    @Override
    public boolean test(String field, Set<String> applied) {
        boolean in = field != null && (patterns == null ? fields.contains(field)
                : patterns.stream().anyMatch(p -> p.matcher(field).lookingAt()));
        return exclude != in;
    }
}
