package io.fendersec.detect.correlate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The test oracle for {@link SlidingWindow}, {@link Episode#extend} and {@link Hit#ORDER}: the
 * plain algorithms they had before they were made faster (every span measured by a full scan,
 * evidence and device collected at once, evidence merged by copying, a chained comparator), kept
 * verbatim. Slow and obviously right.
 */
final class ReferenceWindow {
    /** {@link Hit#ORDER} as it was, chained. */
    static final Comparator<Hit> ORDER = Comparator.comparingLong(Hit::time)
            .thenComparing(h -> h.evidence().isEmpty() ? "" : h.evidence().get(0))
            .thenComparing(Hit::source)
            .thenComparing(Hit::target);

    private final List<Hit> events = new ArrayList<>();
    private long historyStart = Long.MAX_VALUE;

    List<Hit> events() {
        return Collections.unmodifiableList(events);
    }

    List<WindowMatch> add(Hit hit, CorrelationSpec spec, int evidenceCap) {
        int k = Collections.binarySearch(events, hit, Hit.ORDER);
        if (k >= 0) {
            return List.of();
        }
        k = -k - 1;
        events.add(k, hit);
        historyStart = Math.min(historyStart, hit.time());
        List<WindowMatch> out = new ArrayList<>(1);
        long span = spec.timespanMillis();
        for (int j = k; j < events.size() && events.get(j).time() <= hit.time() + span; j++) {
            WindowMatch m = evaluate(j, spec, evidenceCap);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    void prune(long before) {
        int n = 0;
        while (n < events.size() && events.get(n).time() < before) {
            n++;
        }
        if (n > 0) {
            events.subList(0, n).clear();
        }
    }

    private WindowMatch evaluate(int j, CorrelationSpec spec, int evidenceCap) {
        long end = events.get(j).time();
        long start = end - spec.timespanMillis();
        int i = j;
        while (i > 0 && events.get(i - 1).time() >= start) {
            i--;
        }
        long measured;
        BigDecimal metric = metric(i, j, spec);
        if (metric != null || METRICS.contains(spec.type())) {
            if (metric == null || !spec.condition().test(metric)) {
                return null;
            }
            measured = metric.setScale(0, RoundingMode.FLOOR).longValueExact();
        } else {
            measured = measure(i, j, spec);
            if (!spec.condition().test(measured)) {
                return null;
            }
        }
        if (spec.type() == CorrelationType.RATE_SPIKE) {
            long from = Math.max(start - spec.baseline().lengthMillis(), historyStart);
            long baselineCount = i - lowerBound(from);
            if (!spec.baseline().spike(measured, baselineCount, start - from, spec.timespanMillis())) {
                return null;
            }
        }
        Set<String> evidence = new LinkedHashSet<>();
        String device = null;
        boolean mixed = false;
        for (int x = i; x <= j; x++) {
            Hit h = events.get(x);
            for (String u : h.evidence()) {
                if (evidence.size() >= evidenceCap) {
                    break;
                }
                evidence.add(u);
            }
            if (h.device() != null) {
                if (device == null && !mixed) {
                    device = h.device();
                } else if (!Objects.equals(device, h.device())) {
                    mixed = true;
                    device = null;
                }
            }
        }
        return new WindowMatch(start, end, events.get(i).time(), end, measured, List.copyOf(evidence), device, mixed);
    }

    private int lowerBound(long t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).time() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static final Set<CorrelationType> METRICS = Set.of(CorrelationType.VALUE_SUM, CorrelationType.VALUE_AVG,
            CorrelationType.VALUE_PERCENTILE, CorrelationType.VALUE_MEDIAN);

    /**
     * The metric types by their definitions (docs/rules.md), on a sorted copy of the span's
     * numbers: sum, mean, nearest-rank percentile, median. Null for the other types and spans
     * without numbers.
     */
    private BigDecimal metric(int i, int j, CorrelationSpec spec) {
        if (!METRICS.contains(spec.type())) {
            return null;
        }
        List<BigDecimal> xs = new ArrayList<>();
        for (int x = i; x <= j; x++) {
            BigDecimal v = MetricValue.parse(events.get(x).value());
            if (v != null) {
                xs.add(v);
            }
        }
        if (xs.isEmpty()) {
            return null;
        }
        Collections.sort(xs);
        BigDecimal sum = xs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        int n = xs.size();
        switch (spec.type()) {
            case VALUE_SUM:
                return sum;
            case VALUE_AVG:
                return sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
            case VALUE_PERCENTILE: {
                int p = spec.condition().percentile();
                int rank = (int) Math.ceil(p * n / 100.0);
                return xs.get(Math.max(rank, 1) - 1);
            }
            default:
                return n % 2 == 1 ? xs.get(n / 2) : xs.get(n / 2 - 1).add(xs.get(n / 2)).divide(BigDecimal.valueOf(2));
        }
    }

    private long measure(int i, int j, CorrelationSpec spec) {
        switch (spec.type()) {
            case EVENT_COUNT:
            case RATE_SPIKE:
                return j - i + 1;
            case VALUE_COUNT: {
                Set<String> distinct = new HashSet<>();
                for (int x = i; x <= j; x++) {
                    String v = events.get(x).value();
                    if (v != null) {
                        distinct.add(v);
                    }
                }
                return distinct.size();
            }
            case TEMPORAL: {
                Set<String> rules = new HashSet<>();
                for (int x = i; x <= j; x++) {
                    rules.add(events.get(x).source());
                }
                rules.retainAll(spec.rules());
                return rules.size();
            }
            default: {
                List<String> order = spec.rules();
                int next = 0;
                for (int x = i; x <= j && next < order.size(); x++) {
                    if (events.get(x).source().equals(order.get(next))) {
                        next++;
                    }
                }
                return next;
            }
        }
    }

    /** {@link Episode#extend} as it was: the evidence copied, then each uuid looked up in the list. */
    static Episode extend(Episode e, WindowMatch m, boolean additive, int evidenceCap) {
        List<String> ev = new ArrayList<>(e.evidence());
        for (String u : m.evidence()) {
            if (ev.size() >= evidenceCap) {
                break;
            }
            if (!ev.contains(u)) {
                ev.add(u);
            }
        }
        boolean mixed = e.mixedDevices() || m.mixedDevices() || !Objects.equals(e.device(), m.device())
                && e.device() != null && m.device() != null;
        String dev = mixed ? null : (e.device() != null ? e.device() : m.device());
        return new Episode(e.start(), Math.max(e.lastMatch(), m.end()), e.windowStart(),
                Math.max(e.windowEnd(), m.end()),
                Math.min(e.firstSeen(), m.firstSeen()), Math.max(e.lastSeen(), m.lastSeen()),
                additive ? e.count() + m.count() : Math.max(e.count(), m.count()), ev, dev, mixed);
    }
}
