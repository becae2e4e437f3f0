package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A fixed set of literals that finds, in one pass over a text, every literal the text contains
 * (Aho-Corasick): what {@code text.contains(literal)} gives for each literal, at the cost of one
 * scan however many literals there are. The rule index of thousands of rules tests thousands of
 * keyword literals against every log; one {@code indexOf} per literal was half of its time.
 *
 * <p>Matching is exact on {@code char}s, as {@link String#contains} is: case folding is the
 * caller's (both sides already lower case). The empty literal is in every text. Immutable and
 * serializable; the automaton is built when first used, so a job graph carries the literals only.
 * Searches share no state and may run on several threads.
 */
public final class LiteralSet implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int NONE = -1;
    private static final int ROOT = 0;
    private static final int DENSE = 128;

    private final String[] literals;
    private final long[] masks;
    private transient volatile Automaton automaton;

    /** @param literals distinct literals, found by their position in this array */
    public LiteralSet(String[] literals) {
        this.literals = literals.clone();
        this.masks = new long[literals.length];
        for (int k = 0; k < literals.length; k++) {
            masks[k] = CharMask.of(literals[k]);
        }
        if (Arrays.stream(literals).distinct().count() != literals.length) {
            throw new IllegalArgumentException("literals must be distinct");
        }
    }

    public int size() {
        return literals.length;
    }

    public String literal(int k) {
        return literals[k];
    }

    /** The {@link CharMask} of literal {@code k}. */
    long mask(int k) {
        return masks[k];
    }

    /** A place for the literals found by searches of this set, to reuse from one text to the next. */
    public Found newFound() {
        return new Found(literals.length);
    }

    /** Adds to {@code found} every literal that {@code text} contains. */
    public void findIn(String text, Found found) {
        findIn(text, found, CharMask.ALL);
    }

    /**
     * As {@link #findIn(String, Found)}, for the literals whose {@link CharMask} fits in
     * {@code textMask} only (a literal that does not fit cannot be in the text that mask describes).
     */
    void findIn(String text, Found found, long textMask) {
        Automaton a = automaton();
        for (int k : a.empty) {
            found.add(k);
        }
        int s = ROOT;
        for (int i = 0; i < text.length(); i++) {
            s = a.step(s, text.charAt(i));
            for (int t = a.term[s] != NONE ? s : a.dict[s]; t != NONE; t = a.dict[t]) {
                int k = a.term[t];
                if (CharMask.mayContain(textMask, masks[k])) {
                    found.add(k);
                }
            }
        }
    }

    /** The literals found so far, each once, in the order found; {@link #clear} to reuse. Not thread-safe. */
    public static final class Found {
        private final boolean[] seen;
        private final int[] list;
        private int size;

        private Found(int literals) {
            seen = new boolean[literals];
            list = new int[literals];
        }

        void add(int k) {
            if (!seen[k]) {
                seen[k] = true;
                list[size++] = k;
            }
        }

        public int size() {
            return size;
        }

        /** The {@code i}-th literal found (its position in the set). */
        public int get(int i) {
            return list[i];
        }

        public boolean contains(int k) {
            return seen[k];
        }

        public void clear() {
            for (int i = 0; i < size; i++) {
                seen[list[i]] = false;
            }
            size = 0;
        }
    }

    private Automaton automaton() {
        Automaton a = automaton;
        if (a == null) {
            a = new Automaton(literals);
            automaton = a;
        }
        return a;
    }

    /**
     * The trie of the literals with failure links. A state is a prefix of some literal; at most
     * one literal ends at a state (they are distinct). Transitions: dense for the root over ASCII
     * (most characters of a text leave the matcher at the root), sorted arrays elsewhere.
     */
    private static final class Automaton {
        final int[] empty;
        final char[][] keys;
        final int[][] next;
        final int[] fail;
        /** The literal ending at a state, or NONE. */
        final int[] term;
        /** The nearest state along the failure chain (the state itself excluded) where a literal ends, or NONE. */
        final int[] dict;
        final int[] rootDense = new int[DENSE];

        Automaton(String[] literals) {
            List<TreeMap<Character, Integer>> children = new ArrayList<>();
            List<Integer> terms = new ArrayList<>();
            children.add(new TreeMap<>());
            terms.add(NONE);
            List<Integer> empties = new ArrayList<>();
            for (int k = 0; k < literals.length; k++) {
                String lit = literals[k];
                if (lit.isEmpty()) {
                    empties.add(k);
                    continue;
                }
                int s = ROOT;
                for (int i = 0; i < lit.length(); i++) {
                    Integer t = children.get(s).get(lit.charAt(i));
                    if (t == null) {
                        t = children.size();
                        children.add(new TreeMap<>());
                        terms.add(NONE);
                        children.get(s).put(lit.charAt(i), t);
                    }
                    s = t;
                }
                terms.set(s, k);
            }
            int n = children.size();
            empty = empties.stream().mapToInt(Integer::intValue).toArray();
            keys = new char[n][];
            next = new int[n][];
            term = terms.stream().mapToInt(Integer::intValue).toArray();
            for (int s = 0; s < n; s++) {
                TreeMap<Character, Integer> c = children.get(s);
                keys[s] = new char[c.size()];
                next[s] = new int[c.size()];
                int j = 0;
                for (var e : c.entrySet()) {
                    keys[s][j] = e.getKey();
                    next[s][j++] = e.getValue();
                }
            }
            fail = new int[n];
            dict = new int[n];
            dict[ROOT] = NONE;
            for (int c = 0; c < DENSE; c++) {
                int t = child(ROOT, (char) c);
                rootDense[c] = t == NONE ? ROOT : t;
            }
            // breadth first: a state's failure is known before its children's
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int t : next[ROOT]) {
                fail[t] = ROOT;
                dict[t] = NONE;
                queue.add(t);
            }
            while (!queue.isEmpty()) {
                int s = queue.poll();
                for (int j = 0; j < keys[s].length; j++) {
                    int t = next[s][j];
                    int f = step(fail[s], keys[s][j]);
                    fail[t] = f;
                    dict[t] = term[f] != NONE ? f : dict[f];
                    queue.add(t);
                }
            }
        }

        int child(int s, char c) {
            int j = Arrays.binarySearch(keys[s], c);
            return j < 0 ? NONE : next[s][j];
        }

        /** The state after reading {@code c} in state {@code s}. */
        int step(int s, char c) {
            while (s != ROOT) {
                int t = child(s, c);
                if (t != NONE) {
                    return t;
                }
                s = fail[s];
            }
            if (c < DENSE) {
                return rootDense[c];
            }
            int t = child(ROOT, c);
            return t == NONE ? ROOT : t;
        }
    }
}
