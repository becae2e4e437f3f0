package io.fendersec.detect.sigma;

import com.google.re2j.Pattern;

/**
 * Compiles user regular expressions (rules' {@code re}, extractors) with RE2/J after bounding
 * what RE2/J would build. RE2/J runs in linear time but has no limit on the size of its program:
 * it expands {@code x{n}} into n copies of x, so {@code ((a{100}){100}){100}} asks for a million
 * instructions per level and exhausts the heap, and its compiler recurses once per nesting level.
 * This reads the expression first and refuses one whose expanded size or group nesting is too
 * large, with a message saying which.
 */
public final class SafeRegex {
    /** Upper bound of the expanded size (atoms after repetition), far above real detection rules. */
    public static final long MAX_SIZE = 20_000;
    /** Deepest group nesting. */
    public static final int MAX_DEPTH = 64;
    /**
     * Most steps that may match empty ({@code x?}, {@code x*}, {@code x{0,n}}), counted after
     * repetitions are expanded. RE2/J follows a chain of them recursively at every position, one
     * stack frame each: {@code (?:a?){1000}} nine times then {@code y} (9,000 such steps) passes
     * {@link #MAX_SIZE} and overflowed the stack of a 512 KiB thread. Real rules have a handful.
     */
    public static final long MAX_EMPTY_STEPS = 1_000;

    private SafeRegex() {}

    /** Like {@link Pattern#compile(String, int)}; IllegalArgumentException when over a limit. */
    public static Pattern compile(String regex, int flags) {
        check(regex);
        try {
            Pattern p = Pattern.compile(regex, flags);
            // A probe at load time: a pattern whose matching still recurses too deep fails here,
            // as the rule's refusal, not later on a task thread.
            p.matcher("").find();
            p.matcher("a0 ").find();
            return p;
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("regular expression too deeply nested for the matcher (stack overflow):"
                    + " use fewer optional or repeated parts");
        }
    }

    /** Throws IllegalArgumentException naming the limit the expression exceeds. */
    static void check(String re) {
        // One frame per open group: the size so far and the size of the last atom (what a
        // following repetition multiplies).
        long[] total = new long[MAX_DEPTH + 2];
        long[] last = new long[MAX_DEPTH + 2];
        // The same for steps that may match empty (MAX_EMPTY_STEPS).
        long[] empty = new long[MAX_DEPTH + 2];
        long[] lastEmpty = new long[MAX_DEPTH + 2];
        int depth = 0;
        int n = re.length();
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            long atom = 0;
            long atomEmpty = 0;
            switch (c) {
                case '\\': {
                    if (i + 1 < n && re.charAt(i + 1) == 'Q') {
                        int end = re.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        atom = Math.max(1, stop - (i + 2));
                        i = end < 0 ? n : end + 1;
                    } else if (i + 2 < n && (re.charAt(i + 1) == 'p' || re.charAt(i + 1) == 'P'
                            || re.charAt(i + 1) == 'x') && re.charAt(i + 2) == '{') {
                        int end = re.indexOf('}', i + 3);
                        i = end < 0 ? n : end;
                        atom = 1;
                    } else {
                        i++;
                        atom = 1;
                    }
                    break;
                }
                case '[': {
                    int j = i + 1;
                    if (j < n && re.charAt(j) == '^') {
                        j++;
                    }
                    if (j < n && re.charAt(j) == ']') {
                        j++;
                    }
                    while (j < n && re.charAt(j) != ']') {
                        if (re.charAt(j) == '\\') {
                            j++;
                        } else if (re.charAt(j) == '[' && j + 1 < n && re.charAt(j + 1) == ':') {
                            int end = re.indexOf(":]", j + 2);
                            j = end < 0 ? j : end + 1;
                        }
                        j++;
                    }
                    i = j;
                    atom = 1;
                    break;
                }
                case '(':
                    if (++depth > MAX_DEPTH) {
                        throw new IllegalArgumentException("regular expression nests groups deeper than " + MAX_DEPTH);
                    }
                    total[depth] = 0;
                    last[depth] = 0;
                    empty[depth] = 0;
                    lastEmpty[depth] = 0;
                    continue;
                case ')':
                    if (depth == 0) {
                        continue; // RE2/J reports the unbalanced parenthesis
                    }
                    atom = Math.max(1, total[depth]);
                    atomEmpty = empty[depth];
                    depth--;
                    break;
                case '|':
                    last[depth] = 0;
                    lastEmpty[depth] = 0;
                    continue;
                case '+':
                    continue; // a loop around the last atom: about its size again
                case '*': case '?': {
                    char prev = i > 0 ? re.charAt(i - 1) : ' ';
                    if (prev == '(' || (c == '?' && (prev == '*' || prev == '+' || prev == '?' || prev == '}'))) {
                        continue; // group syntax (?:, or a lazy quantifier
                    }
                    // the last atom may now match empty: one more step of an empty chain
                    empty[depth]++;
                    lastEmpty[depth]++;
                    if (empty[depth] > MAX_EMPTY_STEPS) {
                        throw tooManyEmpty();
                    }
                    continue;
                }
                case '{': {
                    int end = re.indexOf('}', i + 1);
                    long times = end < 0 ? -1 : repeatCount(re.substring(i + 1, end));
                    if (times < 0) {
                        atom = 1; // a literal brace
                        break;
                    }
                    // x{n,m} becomes m copies of x: the last atom grows by (times - 1) copies
                    total[depth] += last[depth] * (times - 1);
                    last[depth] *= times;
                    empty[depth] += lastEmpty[depth] * (times - 1);
                    lastEmpty[depth] *= times;
                    if (re.substring(i + 1, end).split(",", -1)[0].matches("0+")) {
                        empty[depth] += times; // x{0,n}: every copy may match empty
                        lastEmpty[depth] += times;
                    }
                    i = end;
                    if (total[depth] > MAX_SIZE) {
                        throw tooLarge();
                    }
                    if (empty[depth] > MAX_EMPTY_STEPS) {
                        throw tooManyEmpty();
                    }
                    continue;
                }
                default:
                    atom = 1;
            }
            total[depth] += atom;
            last[depth] = atom;
            empty[depth] += atomEmpty;
            lastEmpty[depth] = atomEmpty;
            if (total[depth] > MAX_SIZE) {
                throw tooLarge();
            }
            if (empty[depth] > MAX_EMPTY_STEPS) {
                throw tooManyEmpty();
            }
        }
    }

    private static IllegalArgumentException tooManyEmpty() {
        return new IllegalArgumentException("regular expression has over " + MAX_EMPTY_STEPS + " parts that may match"
                + " nothing (x?, x*, x{0,n}) once its repetitions are expanded: the matcher would recurse through"
                + " each; use fewer");
    }

    private static IllegalArgumentException tooLarge() {
        return new IllegalArgumentException("regular expression too large once its repetitions are expanded (over "
                + MAX_SIZE + " steps): use fewer or smaller {n,m} counts");
    }

    /** The copies {@code {n}}, {@code {n,}} or {@code {n,m}} make, or -1 when it is not a repetition. */
    private static long repeatCount(String inner) {
        int comma = inner.indexOf(',');
        String lo = comma < 0 ? inner : inner.substring(0, comma);
        String hi = comma < 0 ? inner : inner.substring(comma + 1);
        if (!digits(lo) || !(hi.isEmpty() || digits(hi))) {
            return -1;
        }
        long n = Long.parseLong(lo.length() > 6 ? "999999" : lo);
        long m = hi.isEmpty() ? n + 1 : Long.parseLong(hi.length() > 6 ? "999999" : hi);
        return Math.max(1, Math.max(n, m));
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
