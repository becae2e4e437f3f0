package io.fendersec.detect.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fendersec.error.ConfigException;

/**
 * Sigma conditions: {@code and}, {@code or}, {@code not}, parentheses, {@code 1 of X*},
 * {@code all of X*}, {@code 1 of them}, {@code all of them}. Precedence, loosest first: or, and,
 * not. Identifiers starting with '_' are left out of {@code them}, as in pySigma. Nesting
 * (parentheses and {@code not}) is limited to {@link #MAX_DEPTH} levels, so that a hostile
 * condition is refused instead of overflowing the stack here or in the compiled predicate.
 */
final class ConditionParser {
    /** Deepest nesting of parentheses and {@code not}; real rules use a handful. */
    static final int MAX_DEPTH = 64;

    private final List<String> tokens;
    private final Map<String, DetectionNode> searches;
    private final YamlNode where;
    private int pos;
    private int depth;

    private ConditionParser(List<String> tokens, Map<String, DetectionNode> searches, YamlNode where) {
        this.tokens = tokens;
        this.searches = searches;
        this.where = where;
    }

    static DetectionNode parse(String condition, Map<String, DetectionNode> searches, YamlNode where) {
        if (condition.contains("|")) {
            throw where.error("unsupported feature: aggregation in condition ('" + condition
                    + "'): use a correlation rule");
        }
        ConditionParser p = new ConditionParser(tokenize(condition), searches, where);
        DetectionNode result = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.fail("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return result;
    }

    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                if (c != ' ' && !Character.isWhitespace(c)) {
                    out.add(String.valueOf(c));
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String word) {
        String t = peek();
        if (t != null && t.toLowerCase(Locale.ROOT).equals(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private DetectionNode or() {
        List<DetectionNode> parts = new ArrayList<>();
        parts.add(and());
        while (accept("or")) {
            parts.add(and());
        }
        return DetectionNode.or(parts);
    }

    private DetectionNode and() {
        List<DetectionNode> parts = new ArrayList<>();
        parts.add(not());
        while (accept("and")) {
            parts.add(not());
        }
        return DetectionNode.and(parts);
    }

    private DetectionNode not() {
        if (accept("not")) {
            enter();
            DetectionNode inner = not();
            depth--;
            return new DetectionNode.Not(inner);
        }
        return primary();
    }

    private DetectionNode primary() {
        String t = peek();
        if (t == null) {
            throw fail("condition ends too early");
        }
        if (accept("(")) {
            enter();
            DetectionNode inner = or();
            depth--;
            if (!accept(")")) {
                throw fail("missing ')'");
            }
            return inner;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
            boolean all;
            if (lower.equals("all")) {
                all = true;
            } else if (lower.equals("1") || lower.equals("any")) {
                all = false;
            } else {
                throw fail("unsupported feature: '" + t + " of' (only '1 of' and 'all of')");
            }
            pos += 2;
            String target = peek();
            if (target == null) {
                throw fail("'of' needs an identifier pattern or 'them'");
            }
            pos++;
            List<DetectionNode> chosen = new ArrayList<>();
            if (target.equalsIgnoreCase("them")) {
                searches.forEach((name, p) -> {
                    if (!name.startsWith("_")) {
                        chosen.add(p);
                    }
                });
            } else {
                searches.forEach((name, p) -> {
                    if (globMatches(target, name)) {
                        chosen.add(p);
                    }
                });
            }
            if (chosen.isEmpty()) {
                throw fail("'" + target + "' matches no search identifier");
            }
            return all ? DetectionNode.and(chosen) : DetectionNode.or(chosen);
        }
        if (t.equals(")") || lower.equals("and") || lower.equals("or")) {
            throw fail("unexpected '" + t + "'");
        }
        DetectionNode p = searches.get(t);
        if (p == null) {
            throw fail("unknown search identifier '" + t + "'");
        }
        pos++;
        return p;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw fail("nests parentheses and 'not' deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** Identifier patterns use '*' only. */
    private static boolean globMatches(String glob, String name) {
        if (!glob.contains("*")) {
            return glob.equals(name);
        }
        String[] parts = glob.split("\\*", -1);
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == 0) {
                if (!name.startsWith(part)) {
                    return false;
                }
                at = part.length();
            } else if (i == parts.length - 1) {
                return name.length() - part.length() >= at && name.endsWith(part);
            } else {
                int found = name.indexOf(part, at);
                if (found < 0) {
                    return false;
                }
                at = found + part.length();
            }
        }
        return true;
    }

    private ConfigException fail(String message) {
        String text = String.join(" ", tokens);
        return where.error("condition '" + (text.length() > 120 ? text.substring(0, 120) + "..." : text) + "': "
                + message);
    }
}
