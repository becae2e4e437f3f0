package io.fendersec.detect.correlate;

import java.util.Set;

/**
 * Fendersec's {@code impossible_travel} (not Sigma v2.1): the span ending at an event holds when
 * that event and an earlier one of the span are too far apart for the time between them
 * ({@link Travel}); the match's evidence is that pair, its count the speed in km/h. Pairs are no
 * tally: every span is judged from its events (an account signs in a few times an hour).
 */
final class ImpossibleTravel extends CorrelationKind {
    @Override
    Tally tally(CorrelationSpec spec) {
        throw new UnsupportedOperationException("impossible_travel judges pairs, not a tally");
    }

    @Override
    boolean slides() {
        return false;
    }

    @Override
    WindowMatch judge(Span span, CorrelationSpec spec, int evidenceCap) {
        long[] measured = new long[1];
        int[] pair = Travel.impossiblePair(span.events(), span.from(), span.to(), spec.condition(), spec.travel(),
                measured);
        if (pair == null) {
            return null;
        }
        Hit a = span.events().get(pair[0]);
        Hit b = span.events().get(pair[1]);
        boolean mixed = a.device() != null && b.device() != null && !a.device().equals(b.device());
        String device = mixed ? null : a.device() != null ? a.device() : b.device();
        long end = span.end();
        return WindowMatch.ofSpan(end - spec.timespanMillis(), end, measured[0], new Hit[] {a, b}, evidenceCap,
                device, mixed);
    }

    @Override
    public FieldUse fieldUse() {
        return FieldUse.OPTIONAL; // the region field
    }

    @Override
    public Set<String> ownKeys() {
        return Set.of("location", "min-distance");
    }

    /** Without a condition: faster than 1000 km/h (no airliner). */
    @Override
    public CountCondition defaultCondition(int referencedRules) {
        return CountCondition.of(CountCondition.Op.GT, 1000);
    }

    @Override
    void check(CountCondition condition, Baseline baseline, Travel travel) {
        if (travel == null) {
            throw new IllegalArgumentException("travel settings are needed by impossible_travel, and only there");
        }
        if (baseline != null || condition.percentile() != null) {
            throw new IllegalArgumentException("impossible_travel takes neither a baseline nor a percentile");
        }
    }
}
