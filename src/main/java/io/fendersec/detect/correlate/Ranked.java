package io.fendersec.detect.correlate;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The span's numbers in order, each with how many events carry it: what a percentile is read
 * from. Finding the k-th walks the distinct numbers from the nearer end.
 */
abstract class Ranked extends MetricTally {
    private final TreeMap<BigDecimal, int[]> counts = new TreeMap<>();
    long n;

    @Override
    void enter(BigDecimal v) {
        counts.computeIfAbsent(v, x -> new int[1])[0]++;
        n++;
    }

    @Override
    void leave(BigDecimal v) {
        int[] c = counts.get(v);
        if (--c[0] == 0) {
            counts.remove(v);
        }
        n--;
    }

    /** The {@code k}-th smallest number, 1-based ({@code 1 <= k <= n}). */
    BigDecimal kth(long k) {
        boolean fromTop = k > n / 2;
        long rank = fromTop ? n - k + 1 : k;
        Iterator<Map.Entry<BigDecimal, int[]>> it = fromTop ? counts.descendingMap().entrySet().iterator()
                : counts.entrySet().iterator();
        while (true) {
            Map.Entry<BigDecimal, int[]> e = it.next();
            rank -= e.getValue()[0];
            if (rank <= 0) {
                return e.getKey();
            }
        }
    }
}
