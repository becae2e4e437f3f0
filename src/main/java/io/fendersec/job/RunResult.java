package io.fendersec.job;

import java.time.Duration;
import java.util.Map;

/**
 * What a run read and found: logs per app, alerts per "rule|severity", the source client's
 * counters (local runs only), the duration, the checkpoint it resumed from, if any, and the
 * matches each Sigma filter and exception dropped (by "exception ID (RULE)", zeros included).
 */
public record RunResult(Map<String, Long> logsByApp, Map<String, Long> alertsByRule, Map<String, Long> clientCounters,
        Duration duration, String resumedFrom, Map<String, Long> droppedMatches) {
    /**
     * The label in {@link #droppedMatches} of a rule's alerts held back by the alert budget
     * ({@code sinks.budget}), followed by the rule id: counted like a filter's drops, said differently.
     */
    public static final String BUDGET_LABEL = "alert budget of ";
    /** Labels of {@link #droppedMatches} that count what a hunt skipped in the archive (lines, logs), not matches. */
    public static final String ARCHIVE_LABEL = io.fendersec.source.archive.ArchiveSource.SKIPPED_PREFIX;


    /** A result without dropped matches (no filters or exceptions). */
    public RunResult(Map<String, Long> logsByApp, Map<String, Long> alertsByRule, Map<String, Long> clientCounters,
            Duration duration, String resumedFrom) {
        this(logsByApp, alertsByRule, clientCounters, duration, resumedFrom, Map.of());
    }

    public long logs() {
        return logsByApp.values().stream().mapToLong(Long::longValue).sum();
    }

    public long alerts() {
        return alertsByRule.values().stream().mapToLong(Long::longValue).sum();
    }
}
