package io.fendersec.detect.correlate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code condition} of a {@code temporal} or {@code temporal_ordered} correlation as Sigma
 * v2.2 writes it (SEP #198): a boolean expression over the referenced rules,
 * {@code success and not mfa}, {@code (a or b) and c}. Keywords {@code and}, {@code or},
 * {@code not} in any case (the draft writes {@code AND}, pySigma {@code and}); {@code not} binds
 * tightest, then {@code and}, then {@code or}, as in Sigma detections.
 *
 * <p>What a window is judged on (docs/rules.md, "Temporal conditions"):
 * <ul>
 *   <li>{@code temporal}: a rule is true when it matched in the window; the condition holds when
 *       the expression does.</li>
 *   <li>{@code temporal_ordered}: the condition holds when some assignment that makes the
 *       expression true is seen in order: its true rules matched in the window in the order of
 *       {@code rules} (a chain of hits), and each false rule did not match in its slot, between
 *       the chain hits of the true rules listed just before and just after it (from the window's
 *       opening, to its close, where there is none).</li>
 * </ul>
 * A condition without {@code not} is monotone: more matches never make it false, so it is judged
 * on every span that ends at a hit, at once, like the count conditions. A condition with
 * {@code not} is an absence: it is judged once per window that opens at a hit of a rule the
 * expression names without {@code not} (an anchor), {@code [anchor, anchor + timespan]}, when the
 * watermark reaches the window's end ({@link #closedWindow}).
 *
 * <p>Immutable, no Flink. The truth table is computed once (at most {@value #MAX_RULES} rules).
 */
public final class TemporalCondition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rules a temporal condition may name: its truth table has 2^n rows. */
    public static final int MAX_RULES = 12;

    /** The expected form, for error messages. */
    public static final String EXPECTED = "rule names joined by and, or, not and parentheses,"
            + " e.g. 'success and not mfa'";

    private final String text;
    /** The rule ids, in the order of {@code rules}: bit i of a mask is rule i. */
    private final List<String> rules;
    /** Whether the expression holds, by mask of true rules. */
    private final boolean[] table;
    /** The masks that make the expression true (for the ordered test). */
    private final int[] satisfying;
    /** Rules the expression names without {@code not} somewhere: their hits open absence windows. */
    private final int anchors;
    /** Whether a rule appears under {@code not}: then windows are judged when they close. */
    private final boolean absence;

    private TemporalCondition(String text, List<String> rules, boolean[] table, int anchors, boolean absence) {
        this.text = text;
        this.rules = List.copyOf(rules);
        this.table = table;
        this.anchors = anchors;
        this.absence = absence;
        int n = 0;
        for (boolean b : table) {
            n += b ? 1 : 0;
        }
        this.satisfying = new int[n];
        for (int m = 0, k = 0; m < table.length; m++) {
            if (table[m]) {
                satisfying[k++] = m;
            }
        }
    }

    /**
     * Parses {@code text}, whose rule names are those in {@code names} (as written in the rule's
     * {@code rules}), and resolves them to {@code ids} (same order). The message of the
     * {@link IllegalArgumentException} says what is wrong and the expected form, without the key path.
     */
    public static TemporalCondition parse(String text, List<String> names, List<String> ids) {
        if (names.size() != ids.size()) {
            throw new IllegalArgumentException("names and ids differ in length");
        }
        if (ids.size() > MAX_RULES) {
            throw new IllegalArgumentException("a temporal condition names at most " + MAX_RULES + " rules, this"
                    + " correlation references " + ids.size());
        }
        Parser p = new Parser(text, names);
        Node root = p.parse();
        boolean[] table = new boolean[1 << ids.size()];
        for (int m = 0; m < table.length; m++) {
            table[m] = root.eval(m);
        }
        if (table[0]) {
            throw new IllegalArgumentException("'" + text + "' holds when none of the rules matched;"
                    + " a temporal condition needs a rule that must match (" + EXPECTED + ")");
        }
        for (int i = 0; i < names.size(); i++) {
            if ((p.named & (1 << i)) == 0) {
                throw new IllegalArgumentException("'" + names.get(i) + "' is in rules but not in the condition"
                        + " (name every referenced rule, or drop it from rules)");
            }
        }
        return new TemporalCondition(text.strip(), ids, table, p.positive, p.negated != 0);
    }

    /** Sigma's default for an omitted condition: every referenced rule (an implicit {@code and}). */
    public static TemporalCondition allOf(List<String> ids) {
        if (ids.size() > MAX_RULES) {
            throw new IllegalArgumentException("at most " + MAX_RULES + " rules");
        }
        boolean[] table = new boolean[1 << ids.size()];
        table[table.length - 1] = true;
        return new TemporalCondition(String.join(" and ", ids), ids, table, table.length - 1, false);
    }

    /** The rule names in the order a condition without {@code rules} names them first (the draft makes rules optional). */
    public static List<String> namesIn(String text) {
        List<String> out = new ArrayList<>();
        for (String t : Parser.tokens(text)) {
            if (!t.equals("(") && !t.equals(")") && Parser.keyword(t) == null && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    public List<String> rules() {
        return rules;
    }

    /** Whether a rule appears under {@code not}: windows are then judged when they close. */
    public boolean isAbsence() {
        return absence;
    }

    /** Whether the expression names rule {@code i} (of {@link #rules()}) only under {@code not}. */
    public boolean onlyNegated(int i) {
        return (anchors & (1 << i)) == 0;
    }

    /** Whether the expression holds for this mask of true rules. */
    public boolean holds(int trueRules) {
        return table[trueRules];
    }

    private int index(String ruleId) {
        return rules.indexOf(ruleId);
    }

    /**
     * What a span of hits {@code from..to} (inclusive) measures for this condition: the number of
     * distinct referenced rules in it when the condition holds there, else 0 (a correlation with
     * this condition holds at {@code gte 1}).
     */
    public long measure(List<Hit> events, int from, int to, boolean ordered) {
        int present = 0;
        for (int x = from; x <= to; x++) {
            int i = index(events.get(x).source());
            if (i >= 0) {
                present |= 1 << i;
            }
        }
        boolean holds = ordered ? inOrder(events, from, to) : table[present];
        return holds ? Integer.bitCount(present) : 0;
    }

    /** {@link #measure} for {@code temporal} from the set of rules that matched in the span (kept by the tail span). */
    public long measurePresent(java.util.Collection<String> ruleIds) {
        int present = 0;
        for (String id : ruleIds) {
            int i = index(id);
            if (i >= 0) {
                present |= 1 << i;
            }
        }
        return table[present] ? Integer.bitCount(present) : 0;
    }

    /** The ordered test over hits {@code from..to}: some satisfying assignment is seen in order (see the class comment). */
    boolean inOrder(List<Hit> events, int from, int to) {
        int[] idx = new int[to - from + 1];
        for (int x = from; x <= to; x++) {
            idx[x - from] = index(events.get(x).source());
        }
        for (int m : satisfying) {
            if (seenInOrder(m, idx)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the chain of mask {@code m}'s true rules over the hits' rule indexes as a small automaton:
     * state s = the first s true rules matched in order, now in slot s. A hit of the next true rule
     * may advance (or be skipped); a hit of a false rule whose slot is s ends state s. Accepted when
     * the last state is alive after the last hit.
     */
    private boolean seenInOrder(int m, int[] idx) {
        int n = Integer.bitCount(m);
        int[] chain = new int[n];
        int[] slot = new int[rules.size()];
        for (int i = 0, c = 0; i < rules.size(); i++) {
            slot[i] = c;
            if ((m & (1 << i)) != 0) {
                chain[c++] = i;
            }
        }
        boolean[] alive = new boolean[n + 1];
        alive[0] = true;
        for (int r : idx) {
            if (r < 0) {
                continue;
            }
            if ((m & (1 << r)) == 0) {
                alive[slot[r]] = false;
                continue;
            }
            for (int s = n - 1; s >= 0; s--) { // descending: one hit advances one step
                if (alive[s] && chain[s] == r) {
                    alive[s + 1] = true;
                }
            }
        }
        return alive[n];
    }

    /**
     * The absence windows that close in {@code [from, through]}: for each anchor hit (a hit of a rule
     * the expression names without {@code not}) whose window end {@code time + timespan} lies in that
     * range, the window {@code [time, time + timespan]} of the hits at and after it, judged as the
     * class comment says. Returns a match per window where the condition holds; its evidence is the
     * window's hits of rules named without {@code not}.
     */
    public List<WindowMatch> closedWindows(List<Hit> events, long from, long through, long timespan, boolean ordered,
                                           int evidenceCap) {
        List<WindowMatch> out = new ArrayList<>(0);
        for (int a = 0; a < events.size(); a++) {
            Hit anchor = events.get(a);
            long end = anchor.time() + timespan;
            int ai = index(anchor.source());
            if (ai < 0 || onlyNegated(ai) || end < from || end > through) {
                continue;
            }
            WindowMatch m = judge(events, a, timespan, ordered, evidenceCap);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** The window opened by the anchor at {@code a}, if the condition holds in it. */
    public WindowMatch judge(List<Hit> events, int a, long timespan, boolean ordered, int evidenceCap) {
        Hit anchor = events.get(a);
        long end = anchor.time() + timespan;
        int to = a;
        while (to + 1 < events.size() && events.get(to + 1).time() <= end) {
            to++;
        }
        long measured = measure(events, a, to, ordered);
        if (measured == 0) {
            return null;
        }
        List<Hit> shown = new ArrayList<>();
        String device = null;
        boolean mixed = false;
        for (int x = a; x <= to; x++) {
            Hit h = events.get(x);
            int i = index(h.source());
            if (i < 0 || onlyNegated(i)) {
                continue;
            }
            shown.add(h);
            if (h.device() != null) {
                if (device == null && !mixed) {
                    device = h.device();
                } else if (!h.device().equals(device)) {
                    mixed = true;
                    device = null;
                }
            }
        }
        return WindowMatch.ofWindow(anchor.time(), end, measured, shown.toArray(new Hit[0]), evidenceCap, device,
                mixed);
    }

    /** The earliest end of an anchor's window after {@code after}, {@link Long#MAX_VALUE} when none. */
    public long nextClose(List<Hit> events, long after, long timespan) {
        for (Hit h : events) { // in time order: the first anchor found past `after` closes first
            int i = index(h.source());
            long end = h.time() + timespan;
            if (i >= 0 && !onlyNegated(i) && end > after) {
                return end;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Whether {@code h} opens an absence window. */
    public boolean isAnchor(Hit h) {
        int i = index(h.source());
        return i >= 0 && !onlyNegated(i);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemporalCondition t && t.rules.equals(rules) && Arrays.equals(t.table, table)
                && t.anchors == anchors && t.absence == absence;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules, Arrays.hashCode(table), anchors, absence);
    }

    /** A parsed expression over rule indexes. */
    private interface Node extends Serializable {
        boolean eval(int mask);
    }

    private record Ref(int index) implements Node {
        public boolean eval(int mask) {
            return (mask & (1 << index)) != 0;
        }
    }

    private record Not(Node arg) implements Node {
        public boolean eval(int mask) {
            return !arg.eval(mask);
        }
    }

    private record And(Node a, Node b) implements Node {
        public boolean eval(int mask) {
            return a.eval(mask) && b.eval(mask);
        }
    }

    private record Or(Node a, Node b) implements Node {
        public boolean eval(int mask) {
            return a.eval(mask) || b.eval(mask);
        }
    }

    /** Recursive descent: or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | '(' or ')' | NAME. */
    private static final class Parser {
        private final String text;
        private final List<String> names;
        private final List<String> tokens;
        private int pos;
        private int depth;
        /** Rules named at all, named under an odd number of nots, named under an even number. */
        int named;
        int negated;
        int positive;

        Parser(String text, List<String> names) {
            this.text = text;
            this.names = names;
            this.tokens = tokens(text);
        }

        static List<String> tokens(String text) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')') {
                    out.add(String.valueOf(c));
                    i++;
                } else {
                    int j = i;
                    while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '('
                            && text.charAt(j) != ')') {
                        j++;
                    }
                    out.add(text.substring(i, j));
                    i = j;
                }
            }
            return out;
        }

        static String keyword(String token) {
            String k = token.toLowerCase(Locale.ROOT);
            return k.equals("and") || k.equals("or") || k.equals("not") ? k : null;
        }

        Node parse() {
            if (tokens.isEmpty()) {
                throw fail("is empty");
            }
            Node n = or(false);
            if (pos < tokens.size()) {
                throw fail("has '" + tokens.get(pos) + "' where and, or or the end was expected");
            }
            return n;
        }

        private Node or(boolean negatedHere) {
            Node n = and(negatedHere);
            while (is("or")) {
                pos++;
                n = new Or(n, and(negatedHere));
            }
            return n;
        }

        private Node and(boolean negatedHere) {
            Node n = unary(negatedHere);
            while (is("and")) {
                pos++;
                n = new And(n, unary(negatedHere));
            }
            return n;
        }

        private Node unary(boolean negatedHere) {
            if (pos >= tokens.size()) {
                throw fail("ends where a rule name, not or '(' was expected");
            }
            String t = tokens.get(pos);
            if (is("not")) {
                pos++;
                return new Not(unary(!negatedHere));
            }
            if (t.equals("(")) {
                if (++depth > 64) {
                    throw fail("nests parentheses more than 64 deep");
                }
                pos++;
                Node n = or(negatedHere);
                if (pos >= tokens.size() || !tokens.get(pos).equals(")")) {
                    throw fail("has a '(' that is not closed");
                }
                pos++;
                depth--;
                return n;
            }
            if (t.equals(")") || keyword(t) != null) {
                throw fail("has '" + t + "' where a rule name, not or '(' was expected");
            }
            int i = names.indexOf(t);
            if (i < 0) {
                throw new IllegalArgumentException("'" + t + "' is not one of this correlation's rules ("
                        + String.join(", ", names) + "); the condition names rules as written in rules");
            }
            named |= 1 << i;
            if (negatedHere) {
                negated |= 1 << i;
            } else {
                positive |= 1 << i;
            }
            pos++;
            return new Ref(i);
        }

        private boolean is(String keyword) {
            return pos < tokens.size() && keyword.equals(keyword(tokens.get(pos)));
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("'" + text + "' " + what + "; expected " + EXPECTED);
        }
    }
}
