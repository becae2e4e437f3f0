package io.fendersec.job;

import java.time.Duration;
import java.util.Map;

/**
 * What a run read and found: logs per app, alerts per "rule|severity", the source client's
 * counters (local runs only), the duration, and the checkpoint it resumed from, if any.
 */
public record RunResult(Map<String, Long> logsByApp, Map<String, Long> alertsByRule, Map<String, Long> clientCounters,
        Duration duration, String resumedFrom) {

    public long logs() {
        return logsByApp.values().stream().mapToLong(Long::longValue).sum();
    }

    public long alerts() {
        return alertsByRule.values().stream().mapToLong(Long::longValue).sum();
    }
}
