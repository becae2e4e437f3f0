package io.fendersec.sink.budget;

import java.io.Serializable;
import java.time.Duration;

/**
 * {@code sinks.budget}: how many alerts one rule may deliver for one device (or, for alerts without a
 * device, one group) in one period. Past the budget, alerts are held back and counted, and one
 * roll-up alert per rule, device and period carries their number: an attacker who makes a device
 * log 5,000 secrets shows up as an attack, not as 5,000 alerts (docs/alert-delivery.md).
 */
public record AlertBudget(int maxAlerts, Duration per) implements Serializable {
    public static final int DEFAULT_MAX_ALERTS = 100;
    public static final Duration DEFAULT_PER = Duration.ofHours(1);
    public static final int MAX_MAX_ALERTS = 1_000_000;
    public static final Duration MIN_PER = Duration.ofMinutes(1);
    public static final Duration MAX_PER = Duration.ofDays(7);
    public static final AlertBudget DEFAULT = new AlertBudget(DEFAULT_MAX_ALERTS, DEFAULT_PER);

    public AlertBudget {
        if (maxAlerts < 1 || maxAlerts > MAX_MAX_ALERTS) {
            throw new IllegalArgumentException("max-alerts: expected 1 to " + MAX_MAX_ALERTS + ", got " + maxAlerts);
        }
        if (per == null || per.compareTo(MIN_PER) < 0 || per.compareTo(MAX_PER) > 0) {
            throw new IllegalArgumentException("per: expected 1m to 7d, got " + per);
        }
    }
}
