package io.fendersec.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scores alerts against ground truth. An alert matches a label when rule id and app are equal,
 * the alert's group equals the label's group or its evidence shares a log with the label's, and
 * the alert's time span overlaps the label's. A label is found when some alert matches it; an
 * alert that matches no label is a false alert. Several alerts may find the same label (they are
 * then not false alerts, but duplicates a reader may want to look at).
 */
public final class LabelMatcher {
    private LabelMatcher() {}

    /**
     * @param found      labels matched by at least one alert
     * @param missed     labels no alert matched
     * @param unexpected alerts that match no label (false alerts)
     */
    public record Result(List<ScenarioLabel> found, List<ScenarioLabel> missed, List<Alert> unexpected) {
        public Result {
            found = List.copyOf(found);
            missed = List.copyOf(missed);
            unexpected = List.copyOf(unexpected);
        }

        /** Found labels over all labels; 1.0 when there are none. */
        public double recall() {
            int all = found.size() + missed.size();
            return all == 0 ? 1.0 : (double) found.size() / all;
        }

        /** One line for reports, e.g. {@code recall 1.000 (24/24), 0 false alerts}. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "recall %.3f (%d/%d), %d false alerts", recall(), found.size(),
                    found.size() + missed.size(), unexpected.size());
        }
    }

    public static Result match(Collection<Alert> alerts, Collection<ScenarioLabel> labels) {
        List<ScenarioLabel> found = new ArrayList<>();
        List<ScenarioLabel> missed = new ArrayList<>();
        // Identity: two equal alerts (a duplicate) are two alerts to account for.
        Set<Alert> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ScenarioLabel l : labels) {
            boolean hit = false;
            for (Alert a : alerts) {
                if (matches(a, l)) {
                    hit = true;
                    matched.add(a);
                }
            }
            (hit ? found : missed).add(l);
        }
        List<Alert> unexpected = new ArrayList<>();
        for (Alert a : alerts) {
            if (!matched.contains(a)) {
                unexpected.add(a);
            }
        }
        return new Result(found, missed, unexpected);
    }

    public static boolean matches(Alert a, ScenarioLabel l) {
        if (!a.ruleId().equals(l.ruleId()) || !Objects.equals(a.app(), l.app())) {
            return false;
        }
        boolean sameGroup = a.group().equals(l.group());
        if (!sameGroup && a.evidence().stream().noneMatch(l.evidence()::contains)) {
            return false;
        }
        // The alert's span: the window that first held through the last evidence seen.
        Instant from = min(a.windowStart(), a.firstSeen());
        Instant to = max(a.windowEnd(), a.lastSeen());
        return !to.isBefore(l.start()) && !from.isAfter(l.end());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
