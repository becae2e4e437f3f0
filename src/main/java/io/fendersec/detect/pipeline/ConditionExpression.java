package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * pySigma's condition expressions over named processing conditions ({@code rule_cond_expr:
 * "windows and not sysmon"}): {@code and}, {@code or}, {@code not}, parentheses; every named
 * condition must be used, as pySigma requires.
 */
final class ConditionExpression<T> {
    private static final int MAX_DEPTH = 32;
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Predicate<T>> named;
    private final Args args;
    private final String key;
    private final Set<String> used = new HashSet<>();
    private int pos;
    private int depth;

    private ConditionExpression(String text, Map<String, Predicate<T>> named, Args args, String key) {
        this.named = named;
        this.args = args;
        this.key = key;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(' || c == ')' || Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                }
                if (!Character.isWhitespace(c)) {
                    tokens.add(String.valueOf(c));
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            tokens.add(cur.toString());
        }
    }

    static <T> Predicate<T> parse(String text, Map<String, Predicate<T>> named, Args args, String key) {
        ConditionExpression<T> p = new ConditionExpression<>(text, named, args, key);
        Predicate<T> out = p.or();
        if (p.pos < p.tokens.size()) {
            throw args.error(key, "unexpected '" + p.tokens.get(p.pos) + "' in '" + text + "'");
        }
        Set<String> unused = new HashSet<>(named.keySet());
        unused.removeAll(p.used);
        if (!unused.isEmpty()) {
            throw args.error(key, "conditions not used in the expression: " + unused);
        }
        return out;
    }

    private Predicate<T> or() {
        Predicate<T> left = and();
        while (peek("or")) {
            pos++;
            Predicate<T> l = left;
            Predicate<T> r = and();
            left = x -> l.test(x) || r.test(x);
        }
        return left;
    }

    private Predicate<T> and() {
        Predicate<T> left = not();
        while (peek("and")) {
            pos++;
            Predicate<T> l = left;
            Predicate<T> r = not();
            left = x -> l.test(x) && r.test(x);
        }
        return left;
    }

    private Predicate<T> not() {
        if (++depth > MAX_DEPTH) {
            throw args.error(key, "nested more than " + MAX_DEPTH + " levels");
        }
        try {
            if (peek("not")) {
                pos++;
                return not().negate();
            }
            if (peek("(")) {
                pos++;
                Predicate<T> inner = or();
                if (!peek(")")) {
                    throw args.error(key, "missing ')'");
                }
                pos++;
                return inner;
            }
            if (pos >= tokens.size()) {
                throw args.error(key, "the expression ends too early");
            }
            String name = tokens.get(pos++);
            Predicate<T> p = named.get(name);
            if (p == null) {
                throw args.error(key, "no condition named '" + name + "' (" + named.keySet() + ")");
            }
            used.add(name);
            return p;
        } finally {
            depth--;
        }
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(t);
    }
}
