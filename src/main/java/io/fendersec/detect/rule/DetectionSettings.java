package io.fendersec.detect.rule;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How detection treats time and repeats.
 *
 * @param allowedLateness how far behind the watermark a log may arrive and still update correlations
 * @param suppression     an episode (one alert) lasts until no match for this long, per rule and group
 * @param evidenceCap     at most this many log uuids in an alert
 * @param emitUpdates     re-emit an open episode's alert (same alert_id) when it gains evidence;
 *                        off by default: one alert per episode
 * @param evidenceLogs    carry the evidence logs' (redacted, capped) text to the alerts, for sinks
 *                        with {@code evidence: logs}; off by default, as it costs correlation state
 * @param maxGroups       at most this many groups with state for one rule in one keyed subtask
 *                        ({@code rules.max-groups}); past it the stalest are evicted and reported
 */
public record DetectionSettings(Duration allowedLateness, Duration suppression, int evidenceCap, boolean emitUpdates,
                                boolean evidenceLogs, int maxGroups)
        implements Serializable {
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofHours(1);
    public static final Duration DEFAULT_SUPPRESSION = Duration.ofHours(1);
    /**
     * Default {@code rules.max-groups}: 100,000 groups per rule and subtask, about 100 MB of heap
     * per rule at the sizes docs/benchmarks.md measures ("Attack-scale keys").
     */
    public static final int DEFAULT_MAX_GROUPS = 100_000;

    public DetectionSettings {
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(suppression, "suppression");
        if (allowedLateness.isNegative() || suppression.isNegative()) {
            throw new IllegalArgumentException("allowed lateness and suppression must not be negative");
        }
        if (evidenceCap < 1) {
            throw new IllegalArgumentException("evidenceCap must be at least 1");
        }
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be at least 1");
        }
    }

    public DetectionSettings(Duration allowedLateness, Duration suppression, int evidenceCap, boolean emitUpdates,
                             boolean evidenceLogs) {
        this(allowedLateness, suppression, evidenceCap, emitUpdates, evidenceLogs, DEFAULT_MAX_GROUPS);
    }

    public DetectionSettings(Duration allowedLateness, Duration suppression, int evidenceCap, boolean emitUpdates) {
        this(allowedLateness, suppression, evidenceCap, emitUpdates, false);
    }

    public DetectionSettings(Duration allowedLateness, Duration suppression) {
        this(allowedLateness, suppression, 50, false);
    }

    public static DetectionSettings defaults() {
        return new DetectionSettings(DEFAULT_ALLOWED_LATENESS, DEFAULT_SUPPRESSION);
    }

    public DetectionSettings withEmitUpdates(boolean on) {
        return new DetectionSettings(allowedLateness, suppression, evidenceCap, on, evidenceLogs, maxGroups);
    }

    public DetectionSettings withEvidenceLogs(boolean on) {
        return new DetectionSettings(allowedLateness, suppression, evidenceCap, emitUpdates, on, maxGroups);
    }

    /**
     * The settings for a bounded run of the Bugfender source: allowed lateness 0, whatever
     * {@code rules.allowed-lateness} says. A bounded run reads a snapshot fixed at its start, and the
     * source's read frontier keeps every reader's watermark below every log still to be read by any
     * reader (see {@code io.fendersec.source.frontier}): no log can arrive behind the watermark, so
     * window events, episodes and waiting hits need not be kept an hour longer for late ones that
     * cannot come. Correlation results are the same; state is released as the watermark passes.
     */
    public DetectionSettings forBoundedRead() {
        return new DetectionSettings(Duration.ZERO, suppression, evidenceCap, emitUpdates, evidenceLogs, maxGroups);
    }

    public DetectionSettings withMaxGroups(int max) {
        return new DetectionSettings(allowedLateness, suppression, evidenceCap, emitUpdates, evidenceLogs, max);
    }
}
