package io.fendersec.detect.pipeline;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * {@code type: rule_attribute}: compares a rule attribute with {@code value} by {@code op} (eq, ne,
 * gte, gt, lte, lt, in, not_in), as pySigma does: lists by membership ({@code in}, {@code not_in};
 * eq never holds, ne always), levels by severity, statuses by maturity, dates and numbers by value,
 * other text only by eq and ne. An attribute the rule lacks never matches.
 */
final class RuleAttributeCondition implements Condition.OnRule {
    private static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");
    private static final List<String> STATUSES = List.of("unsupported", "deprecated", "experimental", "test", "stable");
    private static final Set<String> OPS = Set.of("eq", "ne", "gte", "gt", "lte", "lt", "in", "not_in");

    private final String attribute;
    private final String value;
    private final String op;
    private final Args at;

    private RuleAttributeCondition(String attribute, String value, String op, Args at) {
        this.attribute = attribute;
        this.value = value;
        this.op = op;
        this.at = at;
    }

    static RuleAttributeCondition read(Args a) {
        String op = a.text("op", false);
        op = op == null ? "eq" : op;
        if (!OPS.contains(op)) {
            throw a.error("op", "expected one of eq, ne, gte, gt, lte, lt, in, not_in; got '" + op + "'");
        }
        return new RuleAttributeCondition(a.text("attribute", true), a.text("value", true), op, a);
    }

    @Override
    public boolean test(WorkingRule rule, PipelineRun run) {
        if (rule.isList(attribute)) {
            List<String> xs = rule.attributeList(attribute);
            return switch (op) {
                case "in" -> xs.contains(value);
                case "not_in" -> !xs.contains(value);
                case "ne" -> true;
                default -> false;
            };
        }
        String have = rule.attribute(attribute);
        if (have == null) {
            return false;
        }
        int cmp;
        if (attribute.equals("level")) {
            cmp = rank(LEVELS, have, "level") - rank(LEVELS, value, "level");
        } else if (attribute.equals("status")) {
            cmp = rank(STATUSES, have, "status") - rank(STATUSES, value, "status");
        } else if (attribute.equals("date") || attribute.equals("modified")) {
            cmp = date(have).compareTo(date(value));
        } else if (isNumber(have)) {
            if (!isNumber(value)) {
                throw at.error("value", "'" + value + "' is not a number, and attribute '" + attribute + "' is");
            }
            cmp = Double.compare(Double.parseDouble(have), Double.parseDouble(value));
        } else {
            return switch (op) {
                case "eq" -> have.equals(value);
                case "ne" -> !have.equals(value);
                default -> throw at.error("op", "'" + op + "' does not compare text (attribute '" + attribute
                        + "'): eq or ne");
            };
        }
        return switch (op) {
            case "eq" -> cmp == 0;
            case "ne" -> cmp != 0;
            case "gte" -> cmp >= 0;
            case "gt" -> cmp > 0;
            case "lte" -> cmp <= 0;
            case "lt" -> cmp < 0;
            default -> false;
        };
    }

    private int rank(List<String> order, String v, String what) {
        int i = order.indexOf(v.toLowerCase(java.util.Locale.ROOT));
        if (i < 0) {
            throw at.error("value", "'" + v + "' is not a Sigma " + what + " (" + String.join(", ", order) + ")");
        }
        return i;
    }

    private LocalDate date(String v) {
        try {
            return LocalDate.parse(v.replace('/', '-'));
        } catch (DateTimeParseException e) {
            throw at.error("value", "'" + v + "' is not a date (YYYY-MM-DD)");
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
