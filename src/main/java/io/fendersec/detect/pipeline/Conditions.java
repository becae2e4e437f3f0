package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.fendersec.detect.sigma.YamlNode;

/**
 * The conditions of one kind on a processing item, combined as pySigma combines them: a list
 * (or mapping) joined by {@code *_cond_op} ({@code and}, the default, or {@code or}), or a
 * {@code *_cond_expr} over the mapping's names ({@code a and not (b or c)}); then negated by
 * {@code *_cond_not}. No conditions: always true.
 *
 * @param <T> what the conditions look at
 */
final class Conditions<T> {
    private final Predicate<T> test;

    private Conditions(Predicate<T> test) {
        this.test = test;
    }

    static <T> Conditions<T> always() {
        return new Conditions<>(x -> true);
    }

    boolean test(T x) {
        return test.test(x);
    }

    /**
     * Reads {@code PREFIX_conditions}, {@code PREFIX_cond_op}, {@code PREFIX_cond_expr} and
     * {@code PREFIX_cond_not} of {@code args}; {@code bind} turns one condition into a predicate.
     */
    static <C extends Condition, T> Conditions<T> read(Args args, String prefix, String listKey,
            Map<String, java.util.function.Function<Args, C>> types, java.util.function.Function<C, Predicate<T>> bind) {
        YamlNode list = args.raw(listKey);
        String op = args.text(prefix + "_cond_op", false);
        String expr = args.text(prefix + "_cond_expr", false);
        boolean not = args.bool(prefix + "_cond_not", false);
        if (list == null || list.isNull() || (list.isList() && list.asList().isEmpty())
                || (list.isMap() && list.asMap().isEmpty())) {
            return always(); // pySigma: no conditions hold, whatever the op or negation
        }
        Map<String, Predicate<T>> named = new LinkedHashMap<>();
        List<Predicate<T>> all = new ArrayList<>();
        if (list.isMap()) {
            for (Map.Entry<String, YamlNode> e : list.asMap().entrySet()) {
                Predicate<T> p = bind.apply(one(args, listKey + "." + e.getKey(), e.getValue(), types));
                named.put(e.getKey(), p);
                all.add(p);
            }
        } else if (list.isList()) {
            int i = 0;
            for (YamlNode c : list.asList()) {
                all.add(bind.apply(one(args, listKey + "[" + i++ + "]", c, types)));
            }
        } else {
            throw args.error(listKey, "expected a list of conditions, or a mapping of names to conditions");
        }
        Predicate<T> joined;
        if (expr != null) {
            if (op != null) {
                throw args.error(prefix + "_cond_expr", prefix + "_cond_expr and " + prefix
                        + "_cond_op do not go together (the expression says how the conditions combine)");
            }
            if (!list.isMap()) {
                throw args.error(listKey, "with " + prefix + "_cond_expr, the conditions are a mapping of names to conditions");
            }
            joined = ConditionExpression.parse(expr, named, args, prefix + "_cond_expr");
        } else if (op == null || op.equals("and")) {
            joined = x -> all.stream().allMatch(p -> p.test(x));
        } else if (op.equals("or")) {
            joined = x -> all.stream().anyMatch(p -> p.test(x));
        } else {
            throw args.error(prefix + "_cond_op", "expected 'and' or 'or', got '" + op + "'");
        }
        return new Conditions<>(not ? joined.negate() : joined);
    }

    private static <C> C one(Args parent, String path, YamlNode node, Map<String, java.util.function.Function<Args, C>> types) {
        Args a = new Args(node, parent.path + "." + path, java.util.Set.of("type"));
        String type = node.text("type");
        if (type == null) {
            throw a.error("type", "a condition needs a 'type' (" + String.join(", ", types.keySet()) + ")");
        }
        java.util.function.Function<Args, C> reader = types.get(type);
        if (reader == null) {
            throw a.error("type", "unknown condition type '" + type + "' here (" + String.join(", ", types.keySet()) + ")");
        }
        C c = reader.apply(a);
        a.done("condition " + type);
        return c;
    }
}
