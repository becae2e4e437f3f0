package io.fendersec.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fendersec.model.Alert;
import io.fendersec.model.AttackTags;

/**
 * What the report page shows, computed from alerts: a pure function of its inputs (the clock is a
 * parameter) so it is tested without a browser. The page only draws it.
 *
 * <p>Alerts are placed in time by {@code first_seen}: when the attack episode began, which for a
 * correlation is the first matching log rather than the moment its threshold was reached.
 */
public record AlertReport(
        String title,
        String generatedAt,
        Totals totals,
        Timeline timeline,
        List<Count> severities,
        List<Count> topApps,
        List<Count> topDevices,
        List<Row> rows,
        List<String> badLines,
        RuleCoverage coverage,
        String coverageOf) {

    /** Sigma levels, most severe first; other values follow alphabetically. */
    static final List<String> LEVELS = List.of("critical", "high", "medium", "low", "informational");
    static final String NO_APP = "(no app)";

    /** {@code devices} counts distinct single devices; {@code reemissions} the extra versions merged away. */
    public record Totals(int alerts, int rules, int apps, int devices, int files, long badLines, int reemissions,
            String from, String to) {}

    /** Alerts per bucket and rule: {@code counts.get(rule)[i]} is the count in {@code buckets[i]}. */
    public record Timeline(String unit, List<String> buckets, List<String> rules, Map<String, int[]> counts) {}

    public record Count(String name, int count) {}

    /**
     * One table row; {@code group} as {@code key=value} pairs joined by ", "; {@code attack} the
     * rule's ATT&CK tactics and techniques (from its tags) joined by ", ".
     */
    public record Row(String alertId, String rule, String title, String severity, String app, String group,
            String device, String windowStart, String windowEnd, long count, int evidence, String attack) {}

    /** Builds the report from what {@link AlertFiles} read. */
    public static AlertReport of(String title, AlertFiles.Input input, int topN, Instant now) {
        List<String> bad = input.badLines().stream().map(AlertFiles.BadLine::toString).toList();
        return of(title, input.alerts(), input.files().size(), input.badLineCount(), bad, topN, now);
    }

    public static AlertReport of(String title, List<Alert> read, int files, long badLineCount, List<String> badLines,
            int topN, Instant now) {
        List<Alert> alerts = latestPerId(read);
        Timeline timeline = timeline(alerts);
        String from = alerts.stream().map(Alert::firstSeen).min(Comparator.naturalOrder()).map(Instant::toString).orElse(null);
        String to = alerts.stream().map(Alert::firstSeen).max(Comparator.naturalOrder()).map(Instant::toString).orElse(null);
        int apps = (int) alerts.stream().map(a -> a.app() == null ? NO_APP : a.app()).distinct().count();
        int devices = (int) alerts.stream().map(Alert::device).filter(java.util.Objects::nonNull).distinct().count();
        Totals totals = new Totals(alerts.size(), timeline.rules().size(), apps, devices, files, badLineCount,
                read.size() - alerts.size(), from, to);
        List<Row> rows = alerts.stream()
                .sorted(Comparator.comparing(Alert::firstSeen).thenComparing(Alert::alertId))
                .map(AlertReport::row).toList();
        return new AlertReport(title, now.toString(), totals, timeline, severities(alerts),
                top(alerts, a -> a.app() == null ? NO_APP : a.app(), topN),
                top(alerts.stream().filter(a -> a.device() != null).toList(), Alert::device, topN),
                rows, List.copyOf(badLines), null, null);
    }

    /**
     * The page with a Coverage section for the rules in force, {@code of} saying which rules those
     * are ("the built-in pack", "job nightly.yaml").
     */
    public AlertReport withCoverage(RuleCoverage c, String of) {
        return new AlertReport(title, generatedAt, totals, timeline, severities, topApps, topDevices, rows, badLines, c, of);
    }

    /**
     * One alert per id. A job re-emits an episode's alert under the same id as evidence grows (sinks
     * upsert), so a file sink holds several versions; counting them all would inflate every chart.
     * The latest version wins: latest last_seen, then the highest count.
     */
    static List<Alert> latestPerId(List<Alert> alerts) {
        Map<String, Alert> byId = new LinkedHashMap<>();
        Comparator<Alert> newer = Comparator.comparing(Alert::lastSeen).thenComparingLong(Alert::count)
                .thenComparingInt(a -> a.evidence().size());
        for (Alert a : alerts) {
            byId.merge(a.alertId(), a, (old, cur) -> newer.compare(cur, old) >= 0 ? cur : old);
        }
        return new ArrayList<>(byId.values());
    }

    static Timeline timeline(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return new Timeline(TimeBuckets.HOUR.label(), List.of(), List.of(), Map.of());
        }
        Instant min = alerts.stream().map(Alert::firstSeen).min(Comparator.naturalOrder()).orElseThrow();
        Instant max = alerts.stream().map(Alert::firstSeen).max(Comparator.naturalOrder()).orElseThrow();
        TimeBuckets unit = TimeBuckets.choose(min, max);
        List<Instant> starts = unit.starts(min, max);
        List<Count> ruleTotals = ranked(alerts, Alert::ruleId);
        Map<String, int[]> counts = new LinkedHashMap<>();
        ruleTotals.forEach(c -> counts.put(c.name(), new int[starts.size()]));
        for (Alert a : alerts) {
            // The last bucket starting at or before the alert (starts are sorted).
            int i = java.util.Collections.binarySearch(starts, a.firstSeen());
            counts.get(a.ruleId())[i >= 0 ? i : Math.max(0, -i - 2)]++;
        }
        return new Timeline(unit.label(), starts.stream().map(Instant::toString).toList(),
                ruleTotals.stream().map(Count::name).toList(), counts);
    }

    /** Every Sigma level (zeros included, so the chart always has the same bars), then any other value seen. */
    static List<Count> severities(List<Alert> alerts) {
        Map<String, Long> by = alerts.stream().collect(Collectors.groupingBy(Alert::severity, TreeMap::new, Collectors.counting()));
        List<Count> out = new ArrayList<>();
        LEVELS.forEach(l -> out.add(new Count(l, by.getOrDefault(l, 0L).intValue())));
        by.forEach((k, v) -> {
            if (!LEVELS.contains(k)) {
                out.add(new Count(k, v.intValue()));
            }
        });
        return out;
    }

    /** The {@code n} most frequent keys; ties by name so the page is the same on every run. */
    static List<Count> top(List<Alert> alerts, Function<Alert, String> key, int n) {
        return ranked(alerts, key).stream().limit(n).toList();
    }

    private static List<Count> ranked(List<Alert> alerts, Function<Alert, String> key) {
        Map<String, Long> by = alerts.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
        return by.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new Count(e.getKey(), e.getValue().intValue())).toList();
    }

    private static Row row(Alert a) {
        String group = a.group().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return new Row(a.alertId(), a.ruleId(), a.title(), a.severity(), a.app() == null ? NO_APP : a.app(), group,
                a.device() == null ? "" : a.device(), a.windowStart().toString(), a.windowEnd().toString(), a.count(),
                a.evidence().size(), attack(a.attack()));
    }

    private static String attack(AttackTags a) {
        List<String> all = new ArrayList<>(a.tactics());
        all.addAll(a.techniques());
        return String.join(", ", all);
    }
}
