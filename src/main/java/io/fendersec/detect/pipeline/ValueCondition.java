package io.fendersec.detect.pipeline;

import java.util.List;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The detection item conditions on values: {@code match_string} (a regular expression found in
 * the value, Python's {@code re.search}) and {@code is_null}; {@code cond: any} (the default) or
 * {@code all} of the item's values; {@code negate} for match_string.
 */
final class ValueCondition implements Condition.OnItem {
    private final Pattern pattern; // null: is_null
    private final boolean all;
    private final boolean negate;

    private ValueCondition(Pattern pattern, boolean all, boolean negate) {
        this.pattern = pattern;
        this.all = all;
        this.negate = negate;
    }

    static ValueCondition matchString(Args a) {
        String p = a.text("pattern", true);
        try {
            return new ValueCondition(Pattern.compile(p), all(a), a.bool("negate", false));
        } catch (PatternSyntaxException e) {
            throw a.error("pattern", "not a regular expression: " + e.getDescription());
        }
    }

    /** {@code contains_wildcard}: a value with an unescaped {@code *} or {@code ?}. */
    static ValueCondition containsWildcard(Args a) {
        return new ValueCondition(Pattern.compile("(^|[^\\\\])(\\\\\\\\)*[*?]"), all(a), false);
    }

    static ValueCondition isNull(Args a) {
        return new ValueCondition(null, all(a), false);
    }

    private static boolean all(Args a) {
        String c = a.text("cond", false);
        if (c != null && !c.equals("any") && !c.equals("all")) {
            throw a.error("cond", "expected 'any' or 'all', got '" + c + "'");
        }
        return "all".equals(c);
    }

    @Override
    public boolean test(DetectionItem item, PipelineRun run) {
        List<String> vs = item.texts();
        java.util.function.Predicate<String> one = pattern == null ? v -> v == null
                : v -> v != null && (pattern.matcher(v).find() != negate);
        return all ? vs.stream().allMatch(one) : vs.stream().anyMatch(one);
    }
}
