package io.fendersec.detect.correlate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The number of distinct keys among the span's events, each kept with how many events carry it. */
final class Distinct extends CountTally {
    private final Map<String, int[]> counts = new HashMap<>();
    /** The key an event brings, null for none. */
    private final Function<Hit, String> key;

    Distinct(Function<Hit, String> key) {
        this.key = key;
    }

    @Override
    public void enter(Hit h) {
        String k = key.apply(h);
        if (k != null) {
            counts.computeIfAbsent(k, x -> new int[1])[0]++;
        }
    }

    @Override
    public void leave(Hit h) {
        String k = key.apply(h);
        if (k != null) {
            int[] n = counts.get(k);
            if (--n[0] == 0) {
                counts.remove(k);
            }
        }
    }

    /** The distinct keys in the span. A live view. */
    Set<String> keys() {
        return counts.keySet();
    }

    @Override
    long count(Span span) {
        return counts.size();
    }
}
