package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.correlate.CountCondition.Bound;
import io.fendersec.detect.correlate.CountCondition.Op;

/**
 * The incremental paths (the {@link TailSpan} of in-order adds, evidence collected on demand, the
 * shortcuts of {@link Episode#extend} and {@link KeyState}) against the plain computation they
 * replace ({@link ReferenceWindow}): the same matches and episodes, for random in-order, shuffled
 * and late input of every correlation type, with duplicates, pruning and checkpoint round trips
 * (which drop the tail span) in between.
 */
class IncrementalWindowTest {
    static final long TIMESPAN = 10;
    static final List<String> RULES = List.of("a", "b", "c");

    /** Every type, with lower bounds (final once seen) and upper bounds or ranges (judged as the window stands). */
    static List<CorrelationSpec> specs() {
        List<CorrelationSpec> out = new ArrayList<>();
        for (CorrelationType t : CorrelationType.values()) {
            if (t == CorrelationType.IMPOSSIBLE_TRAVEL) {
                continue; // judged by pairs from the span's events, in order or not: no incremental path (ImpossibleTravelTest)
            }
            List<String> rules = t == CorrelationType.TEMPORAL || t == CorrelationType.TEMPORAL_ORDERED ? RULES
                    : List.of("a");
            Baseline baseline = t == CorrelationType.RATE_SPIKE ? new Baseline(40, 10, 1.5) : null;
            for (CountCondition c : List.of(CountCondition.of(Op.GTE, 2), CountCondition.of(Op.GTE, 3),
                    CountCondition.of(Op.LTE, 2), CountCondition.of(Op.EQ, 3),
                    new CountCondition(List.of(new Bound(Op.GT, 1), new Bound(Op.LT, 5))),
                    new CountCondition(List.of(new Bound(Op.GTE, new java.math.BigDecimal("2.5")))))) {
                if (t == CorrelationType.VALUE_PERCENTILE) {
                    for (int p : new int[] {1, 50, 90, 100}) {
                        out.add(new CorrelationSpec(t, TIMESPAN, new CountCondition(c.bounds(), p), rules, baseline));
                    }
                    continue;
                }
                out.add(new CorrelationSpec(t, TIMESPAN, c, rules, baseline));
            }
        }
        return out;
    }

    /** Hits of one group with many ties, duplicate uuids, missing values and devices. */
    static List<Hit> hits(Random r, int n, long timeRange) {
        List<Hit> out = new ArrayList<>();
        String[] sources = {"a", "b", "c", "other"};
        // text for value_count, numbers (and not-numbers) for the metric types
        String[] values = {null, "v1", "v2", "3", "-2.5", "1e0", "7", "0.25", "NaN"};
        String[] devices = {null, "d1", "d1", "d2", "d3"};
        int devicesUsed = 1 + r.nextInt(devices.length); // some groups see one device only
        for (int i = 0; i < n; i++) {
            List<String> evidence = new ArrayList<>();
            int m = r.nextInt(10) == 0 ? r.nextInt(4) : 1;
            for (int k = 0; k < m; k++) {
                evidence.add("u" + r.nextInt(n)); // duplicates across hits and within one
            }
            out.add(new Hit("t", sources[r.nextInt(sources.length)], "app", Map.of("g", "1"),
                    r.nextInt((int) timeRange), values[r.nextInt(values.length)],
                    devices[r.nextInt(devicesUsed)], evidence));
        }
        return out;
    }

    enum Order { SORTED, SHUFFLED, MOSTLY_SORTED }

    static List<Hit> ordered(List<Hit> hits, Order order, Random r) {
        List<Hit> out = new ArrayList<>(hits);
        out.sort(Hit.ORDER);
        if (order == Order.SHUFFLED) {
            Collections.shuffle(out, r);
        } else if (order == Order.MOSTLY_SORTED) {
            for (int i = 0; i < out.size() / 10; i++) { // a few late hits
                int a = r.nextInt(out.size());
                int b = Math.min(out.size() - 1, a + 1 + r.nextInt(20));
                Collections.swap(out, a, b);
            }
        }
        // a replayed log now and then
        for (int i = 0; i < out.size() / 20; i++) {
            int a = r.nextInt(out.size());
            out.add(Math.min(out.size(), a + r.nextInt(5)), out.get(a));
        }
        return out;
    }

    @Test
    void windowMatchesAreThoseOfTheFullRecomputation() throws Exception {
        int runs = 0;
        int matches = 0;
        for (CorrelationSpec spec : specs()) {
            for (Order order : Order.values()) {
                for (long seed = 1; seed <= 4; seed++) {
                    Random r = new Random(seed * 31 + order.ordinal());
                    int n = 40 + r.nextInt(200);
                    long range = 5 + r.nextInt(300); // from everything in one span to sparse
                    int cap = new int[] {1, 2, 3, 50}[r.nextInt(4)];
                    matches += compare(spec, ordered(hits(r, n, range), order, r), cap, r,
                            spec + " " + order + " seed " + seed + " cap " + cap);
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(specs().size() * 12);
        assertThat(matches).isGreaterThan(1000); // the conditions do hold, often
    }

    /** Feeds both windows the same hits, prunes and round trips; returns how many matches there were. */
    static int compare(CorrelationSpec spec, List<Hit> input, int cap, Random r, String what) throws Exception {
        KeyState state = new KeyState();
        ReferenceWindow ref = new ReferenceWindow();
        List<WindowMatch> deferred = new ArrayList<>();
        List<WindowMatch> deferredRef = new ArrayList<>();
        long max = Long.MIN_VALUE;
        int matches = 0;
        for (int step = 0; step < input.size(); step++) {
            Hit h = input.get(step);
            max = Math.max(max, h.time());
            List<WindowMatch> got = state.window().add(h, spec, cap);
            List<WindowMatch> want = ref.add(h, spec, cap);
            matches += want.size();
            if (r.nextBoolean()) {
                assertThat(got).as("%s, step %d", what, step).isEqualTo(want);
            } else {
                // evidence asked for only after later adds and prunes changed the window
                deferred.addAll(got);
                deferredRef.addAll(want);
            }
            int op = r.nextInt(20);
            if (op == 0) {
                // up to a little further back than any span reaches, or into the latest span (a quiet group)
                long before = max - r.nextInt((int) spec.horizonMillis() + 5);
                state.window().prune(before);
                ref.prune(before);
            } else if (op == 1) {
                state = KeyStateSerializer.INSTANCE.copy(state); // a restore: no tail span
            }
            assertThat(state.window().events()).as("%s, step %d", what, step).isEqualTo(ref.events());
        }
        assertThat(deferred).as(what).isEqualTo(deferredRef);
        return matches;
    }

    @Test
    void aPruneIntoTheTailSpanRebuildsIt() {
        CorrelationSpec spec = new CorrelationSpec(CorrelationType.VALUE_COUNT, TIMESPAN, CountCondition.of(Op.GTE, 2),
                List.of("a"));
        SlidingWindow w = new SlidingWindow();
        ReferenceWindow ref = new ReferenceWindow();
        for (int t = 0; t < 5; t++) {
            Hit h = hit(t, "v" + t, "d1");
            assertThat(w.add(h, spec, 50)).isEqualTo(ref.add(h, spec, 50));
        }
        // prunes the first event of the span (a watermark far ahead of a quiet group)
        w.prune(1);
        ref.prune(1);
        Hit h = hit(6, "v9", "d2");
        List<WindowMatch> got = w.add(h, spec, 50);
        assertThat(got).isEqualTo(ref.add(h, spec, 50));
        assertThat(got.get(0).count()).isEqualTo(5); // v1 to v4 and v9, not v0: pruned
        assertThat(got.get(0).evidence()).containsExactly("u1", "u2", "u3", "u4", "u6");
        assertThat(got.get(0).mixedDevices()).isTrue();
    }

    // Issue 26 §1: a busy window (login-failure-surge's per-app group in a stuffing hour) matches
    // on every hit once its condition holds; each match keeps only the hits its evidence reads
    // (the first 3 distinct uuids here), not a copy of the whole span. By hand: 1,000 hits 1 ms
    // apart in a 60 s span, so the last span holds all 1,000. Mutation caught: copying the whole
    // span (the code before this fix) -> the last match holds 1,000 hits instead of 3.
    @Test
    void aMatchKeepsOnlyTheHitsItsEvidenceReads() {
        CorrelationSpec spec = new CorrelationSpec(CorrelationType.EVENT_COUNT, 60_000, CountCondition.of(Op.GTE, 2),
                List.of("a"));
        SlidingWindow w = new SlidingWindow();
        List<WindowMatch> last = List.of();
        for (int i = 0; i < 1_000; i++) {
            Hit h = new Hit("t", "a", "app", Map.of("g", "1"), 1_000 + i, null, "d1", List.of("u" + i));
            last = w.add(h, spec, 3);
        }
        assertThat(last).hasSize(1);
        assertThat(last.get(0).count()).isEqualTo(1_000);
        assertThat(last.get(0).heldHits()).isEqualTo(3);
        assertThat(last.get(0).evidence()).containsExactly("u0", "u1", "u2");
        assertThat(last.get(0).firstSeen()).isEqualTo(1_000);
    }

    @Test
    void aTailSpanServesOnlyTheSpecItWasMeasuredFor() {
        CorrelationSpec three = new CorrelationSpec(CorrelationType.EVENT_COUNT, TIMESPAN, CountCondition.of(Op.GTE, 3),
                List.of("a"));
        CorrelationSpec shorter = new CorrelationSpec(CorrelationType.EVENT_COUNT, 2, CountCondition.of(Op.GTE, 3),
                List.of("a"));
        SlidingWindow w = new SlidingWindow();
        w.add(hit(0, null, null), three, 50);
        w.add(hit(1, null, null), three, 50);
        assertThat(w.add(hit(2, null, null), three, 50)).hasSize(1);
        // the same events under another timespan (a rule changed between runs): [2, 4] holds 2
        assertThat(w.add(hit(4, null, null), shorter, 50)).isEmpty();
        // an equal spec, not the same instance: measured the same
        CorrelationSpec same = new CorrelationSpec(CorrelationType.EVENT_COUNT, 2, CountCondition.of(Op.GTE, 3),
                List.of("a"));
        assertThat(w.add(hit(5, null, null), same, 50)).isEmpty(); // [3, 5]: 4, 5
        assertThat(w.add(hit(6, null, null), same, 50)).hasSize(1); // [4, 6]: 4, 5, 6
    }

    @Test
    void devicesOfTheTailSpanFollowItsStart() {
        CorrelationSpec spec = new CorrelationSpec(CorrelationType.EVENT_COUNT, TIMESPAN, CountCondition.of(Op.GTE, 1),
                List.of("a"));
        SlidingWindow w = new SlidingWindow();
        assertThat(w.add(hit(0, null, "d1"), spec, 50).get(0).device()).isEqualTo("d1");
        assertThat(w.add(hit(1, null, null), spec, 50).get(0).device()).isEqualTo("d1");
        WindowMatch two = w.add(hit(2, null, "d2"), spec, 50).get(0);
        assertThat(two.mixedDevices()).isTrue();
        assertThat(two.device()).isNull();
        assertThat(w.add(hit(10, null, null), spec, 50).get(0).mixedDevices()).isTrue(); // [0, 10]: d1, d2
        WindowMatch one = w.add(hit(11, null, "d2"), spec, 50).get(0); // [1, 11]: d2 twice, d1 has left
        assertThat(one.mixedDevices()).isFalse();
        assertThat(one.device()).isEqualTo("d2");
        WindowMatch none = w.add(hit(30, null, null), spec, 50).get(0); // [20, 30]: no device
        assertThat(none.device()).isNull();
        assertThat(none.mixedDevices()).isFalse();
    }

    static Hit hit(long t, String value, String device) {
        return new Hit("t", "a", "app", Map.of("g", "1"), t, value, device, List.of("u" + t));
    }

    @Test
    void episodesGrowAsBefore() {
        Random r = new Random(7);
        String[] devices = {null, "d1", "d2"};
        int checked = 0;
        for (int run = 0; run < 2000; run++) {
            int cap = 1 + r.nextInt(6);
            WindowMatch first = match(r, devices, cap);
            Episode e = Episode.open(first);
            Episode ref = Episode.open(first);
            for (int k = 0; k < 8; k++) {
                WindowMatch m = match(r, devices, cap);
                boolean additive = r.nextBoolean();
                e = e.extend(m, additive, cap);
                ref = ReferenceWindow.extend(ref, m, additive, cap);
                assertThat(e).isEqualTo(ref);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(16000);
    }

    /** A match with 0..4 uuids from a small pool (so some are already in the episode, some twice). */
    static WindowMatch match(Random r, String[] devices, int cap) {
        List<String> ev = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            ev.add("u" + r.nextInt(8));
        }
        long t = r.nextInt(100);
        boolean mixed = r.nextInt(5) == 0;
        String device = mixed ? null : devices[r.nextInt(devices.length)];
        if (r.nextBoolean()) {
            return new WindowMatch(t - 10, t, t - r.nextInt(10), t, 1 + r.nextInt(9), ev, device, mixed);
        }
        // collected on demand from a span, as the window makes them
        Hit[] span = new Hit[1 + r.nextInt(3)];
        for (int i = 0; i < span.length; i++) {
            span[i] = new Hit("t", "a", "app", Map.of(), t, null, device, i == 0 ? ev : List.of("u" + r.nextInt(8)));
        }
        return WindowMatch.ofSpan(t - 10, t, 1 + r.nextInt(9), span, cap, device, mixed);
    }

    @Test
    void hitOrderIsTheChainedComparatorsOrder() {
        Random r = new Random(5);
        List<Hit> hits = hits(r, 400, 20); // many ties on time, some on the first uuid too
        hits.add(new Hit("t", "a", "app", Map.of(), 3, null, null, List.of())); // no evidence: sorts as ""
        hits.add(new Hit("t2", "a", "app", Map.of(), 3, null, null, List.of()));
        int ties = 0;
        for (Hit a : hits) {
            for (Hit b : hits) {
                assertThat(Integer.signum(Hit.ORDER.compare(a, b)))
                        .isEqualTo(Integer.signum(ReferenceWindow.ORDER.compare(a, b)));
                ties += a.time() == b.time() && a != b ? 1 : 0;
            }
        }
        assertThat(ties).isGreaterThan(1000);
    }

    @Test
    void heldHitsAreReleasedInTheOrderOfASortedInsert() {
        Random r = new Random(11);
        for (Order order : Order.values()) {
            List<Hit> input = ordered(hits(r, 300, 50), order, r);
            KeyState s = new KeyState();
            List<Hit> ref = new ArrayList<>();
            for (Hit h : input) {
                s.hold(h);
                int k = Collections.binarySearch(ref, h, Hit.ORDER);
                ref.add(k >= 0 ? k : -k - 1, h);
                if (r.nextInt(20) == 0) { // a watermark passing some
                    long wm = h.time() - r.nextInt(10);
                    List<Hit> released = new ArrayList<>(ref.subList(0, (int) ref.stream()
                            .filter(x -> x.time() <= wm).count()));
                    ref.subList(0, released.size()).clear();
                    assertThat(s.release(wm)).containsExactlyElementsOf(released);
                }
            }
            assertThat(s.pending()).containsExactlyElementsOf(ref);
            long latest = ref.stream().mapToLong(Hit::time).max().orElseThrow();
            assertThat(s.latestTime()).isEqualTo(latest);
        }
    }
}
