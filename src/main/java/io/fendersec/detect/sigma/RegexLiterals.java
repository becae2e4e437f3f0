package io.fendersec.detect.sigma;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds literal strings that every match of an RE2 expression contains: a small recursive-descent
 * reading of RE2 syntax that is conservative everywhere. Character classes, {@code .}, escapes
 * such as {@code \d} and optional parts contribute nothing; a construct it does not model (such
 * as {@code \Q...\E}) gives up on the whole expression, which then simply always runs.
 *
 * <p>Each node yields the set of strings it matches exactly, when that set is small and made of
 * literals, a set of which every match contains one, and a set of which every match starts with
 * one. Concatenation joins exact sets into longer literals and keeps the best candidate (the
 * longest shortest string); alternation unions.
 */
final class RegexLiterals {
    private static final int MAX_EXACT = 16;
    private static final int MAX_REQUIRED = 64;

    /**
     * What one node of the expression guarantees; null sets mean "nothing known". {@code starts},
     * when known, also says the node never matches the empty string.
     */
    private record Info(Set<String> exact, Set<String> required, Set<String> starts) {
        static final Info UNKNOWN = new Info(null, null, null);
        static final Info EMPTY = new Info(Set.of(""), null, null);

        /** The best necessary set: the required one, or the exact one if it has no empty string. */
        Set<String> necessary() {
            if (required != null) {
                return required;
            }
            return exact != null && !exact.contains("") ? exact : null;
        }
    }

    /** Thrown for syntax this reader does not model; the expression then gets no prefilter. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    private final String re;
    private int pos;

    private RegexLiterals(String re) {
        this.re = re;
    }

    /** Lower-case literals one of which every match contains, or null if none are known. */
    static Set<String> required(String regex) {
        try {
            RegexLiterals p = new RegexLiterals(regex);
            Info top = p.alternation();
            if (p.pos != regex.length()) {
                return null; // an unbalanced ')': RE2 rejects it anyway
            }
            Set<String> s = top.necessary();
            return s == null || s.isEmpty() ? null : Set.copyOf(s);
        } catch (Unsupported e) {
            return null;
        }
    }

    /**
     * Lower-case literals one of which every match of the expression starts with (at the match's
     * first character, after any zero-width assertion), or null if none are known.
     */
    static Set<String> starts(String regex) {
        try {
            RegexLiterals p = new RegexLiterals(regex);
            Info top = p.alternation();
            if (p.pos != regex.length() || top.starts() == null || top.starts().isEmpty()) {
                return null;
            }
            return Set.copyOf(top.starts());
        } catch (Unsupported e) {
            return null;
        }
    }

    private boolean at(char c) {
        return pos < re.length() && re.charAt(pos) == c;
    }

    private char next() {
        if (pos >= re.length()) {
            throw new Unsupported();
        }
        return re.charAt(pos++);
    }

    private Info alternation() {
        List<Info> alts = new ArrayList<>();
        alts.add(concatenation());
        while (at('|')) {
            pos++;
            alts.add(concatenation());
        }
        if (alts.size() == 1) {
            return alts.get(0);
        }
        Set<String> exact = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        Set<String> starts = new LinkedHashSet<>();
        for (Info a : alts) {
            if (starts != null && a.starts() != null) {
                starts.addAll(a.starts());
            } else {
                starts = null;
            }
            if (exact != null && a.exact() != null) {
                exact.addAll(a.exact());
            } else {
                exact = null;
            }
            Set<String> n = a.necessary();
            if (required != null && n != null) {
                required.addAll(n);
            } else {
                required = null;
            }
        }
        if (exact != null && exact.size() > MAX_EXACT) {
            exact = null;
        }
        if (required != null && required.size() > MAX_REQUIRED) {
            required = null;
        }
        if (starts != null && starts.size() > MAX_REQUIRED) {
            starts = null;
        }
        return new Info(exact, required, starts);
    }

    private Info concatenation() {
        List<Set<String>> candidates = new ArrayList<>();
        Set<String> run = Set.of("");
        boolean allExact = true;
        // What matches start with is decided by the exact run before the first inexact item: that
        // run itself if it is never empty, else (only zero-width items so far) the item's starts.
        Set<String> starts = null;
        while (pos < re.length() && !at('|') && !at(')')) {
            Info item = repetition(atom());
            Set<String> joined = item.exact() == null ? null : product(run, item.exact());
            if (joined != null) {
                run = joined;
                continue;
            }
            if (allExact) {
                starts = !run.contains("") ? run : run.equals(Set.of("")) ? item.starts() : null;
            }
            allExact = false;
            candidates.add(run);
            candidates.add(item.necessary());
            run = item.exact() != null ? item.exact() : Set.of("");
        }
        candidates.add(run);
        Set<String> best = null;
        for (Set<String> c : candidates) {
            if (c != null && !c.contains("") && (best == null || better(c, best))) {
                best = c;
            }
        }
        if (allExact) {
            starts = run.contains("") ? null : run;
        }
        return new Info(allExact ? run : null, best, starts);
    }

    private static boolean better(Set<String> a, Set<String> b) {
        int ma = minLength(a);
        int mb = minLength(b);
        return ma > mb || (ma == mb && a.size() < b.size());
    }

    private static int minLength(Set<String> s) {
        int m = Integer.MAX_VALUE;
        for (String x : s) {
            m = Math.min(m, x.length());
        }
        return m;
    }

    private static Set<String> product(Set<String> a, Set<String> b) {
        if (a.size() * b.size() > MAX_EXACT) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String x : a) {
            for (String y : b) {
                out.add(x + y);
            }
        }
        return out;
    }

    /** Applies any quantifiers after an atom: optional ones lose everything, {@code +} keeps what is required. */
    private Info repetition(Info atom) {
        Info out = atom;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            int min;
            if (c == '*' || c == '?') {
                min = 0;
                pos++;
            } else if (c == '+') {
                min = 1;
                pos++;
            } else if (c == '{' && repeatEnd(pos) > 0) {
                int end = repeatEnd(pos);
                String body = re.substring(pos + 1, end);
                int comma = body.indexOf(',');
                min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
                pos = end + 1;
            } else {
                break;
            }
            if (c == '?' && out.exact() != null && out.exact().size() < MAX_EXACT) {
                // x? matches exactly x or nothing: lets "e-?mail" be {e-mail, email}
                Set<String> optional = new LinkedHashSet<>(out.exact());
                optional.add("");
                out = new Info(optional, null, null);
            } else {
                out = min == 0 ? Info.UNKNOWN : new Info(null, out.necessary(), out.starts());
            }
            if (at('?')) {
                pos++; // non-greedy
            }
        }
        return out;
    }

    /** The index of the '}' closing a valid {n}, {n,} or {n,m} at {@code from}, else -1 (a literal '{'). */
    private int repeatEnd(int from) {
        int i = from + 1;
        int digits = 0;
        while (i < re.length() && Character.isDigit(re.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        if (i < re.length() && re.charAt(i) == ',') {
            i++;
            while (i < re.length() && Character.isDigit(re.charAt(i))) {
                i++;
            }
        }
        return i < re.length() && re.charAt(i) == '}' ? i : -1;
    }

    private Info atom() {
        char c = next();
        switch (c) {
            case '(':
                return group();
            case '[':
                skipClass();
                return Info.UNKNOWN;
            case '\\':
                return escape();
            case '.':
                return Info.UNKNOWN;
            case '^':
            case '$':
                return Info.EMPTY;
            case '*':
            case '+':
            case '?':
                throw new Unsupported(); // a quantifier without an atom: RE2 rejects it
            default:
                return literal(c);
        }
    }

    /** A character that can be part of a literal: ASCII, or without any case variant. */
    private static Info literal(char c) {
        if (c < 0x80) {
            return exactly(String.valueOf(Character.toLowerCase(c)));
        }
        if (Character.isSurrogate(c) || Character.isLetter(c) || Character.toLowerCase(c) != c
                || Character.toUpperCase(c) != c || Character.toTitleCase(c) != c) {
            return Info.UNKNOWN;
        }
        return exactly(String.valueOf(c));
    }

    private static Info exactly(String s) {
        return new Info(Set.of(s), Set.of(s), Set.of(s));
    }

    private Info group() {
        if (at('?')) {
            pos++;
            if (at('P') || at('<')) { // (?P<name>...) or (?<name>...)
                int close = re.indexOf('>', pos);
                if (close < 0) {
                    throw new Unsupported();
                }
                pos = close + 1;
            } else {
                while (pos < re.length() && "imsU-".indexOf(re.charAt(pos)) >= 0) {
                    pos++; // flags never matter: literals are compared case-insensitively anyway
                }
                char end = next();
                if (end == ')') {
                    return Info.EMPTY; // a flag setting such as (?i)
                }
                if (end != ':') {
                    throw new Unsupported();
                }
            }
        }
        Info inner = alternation();
        if (next() != ')') {
            throw new Unsupported();
        }
        return inner;
    }

    private Info escape() {
        char c = next();
        switch (c) {
            case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
            case 'a': case 'f': case 't': case 'n': case 'r': case 'v':
                return Info.UNKNOWN;
            case 'b': case 'B': case 'A': case 'z':
                return Info.EMPTY;
            case 'p': case 'P':
                skipBracedOrOne();
                return Info.UNKNOWN;
            case 'x':
                if (at('{')) {
                    skipBracedOrOne();
                } else {
                    next();
                    next();
                }
                return Info.UNKNOWN;
            default:
                if (c >= '0' && c <= '7') {
                    while (pos < re.length() && re.charAt(pos) >= '0' && re.charAt(pos) <= '7') {
                        pos++;
                    }
                    return Info.UNKNOWN;
                }
                if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                    return literal(c); // escaped punctuation such as \. or \*
                }
                throw new Unsupported(); // \Q...\E, \C and anything else: not modelled
        }
    }

    private void skipBracedOrOne() {
        if (at('{')) {
            int close = re.indexOf('}', pos);
            if (close < 0) {
                throw new Unsupported();
            }
            pos = close + 1;
        } else {
            next();
        }
    }

    /** Skips a character class; {@code pos} is just after its '['. */
    private void skipClass() {
        if (at('^')) {
            pos++;
        }
        if (at(']')) {
            pos++; // a leading ']' is literal
        }
        while (true) {
            char c = next();
            if (c == ']') {
                return;
            }
            if (c == '[' && at(':')) {
                int close = re.indexOf(":]", pos + 1);
                if (close < 0) {
                    throw new Unsupported();
                }
                pos = close + 2;
            } else if (c == '\\') {
                char e = next();
                if (e == 'p' || e == 'P' || e == 'x') {
                    if (at('{')) {
                        skipBracedOrOne();
                    }
                }
            }
        }
    }
}
