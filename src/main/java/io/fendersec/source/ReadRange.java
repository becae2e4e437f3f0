package io.fendersec.source;

import java.io.Serializable;
import java.time.Instant;

import javax.annotation.Nullable;

import io.fendersec.error.ConfigException;

/**
 * The device-time range a source reads, resolved once when the job is built (a spec's {@code -24h}
 * means 24 hours before submission, not before each restart).
 *
 * @param from inclusive start
 * @param to exclusive end; null for a continuous read, or for a bounded read up to the snapshot
 *     fixed at job start
 */
public record ReadRange(Instant from, @Nullable Instant to) implements Serializable {
    public ReadRange {
        if (from == null) {
            throw new ConfigException("source.from: expected the start of the range, e.g. 2026-01-01T00:00:00Z");
        }
        if (to != null && !to.isAfter(from)) {
            throw new ConfigException("source.to: expected a time after source.from (" + from + "), got " + to);
        }
    }
}
