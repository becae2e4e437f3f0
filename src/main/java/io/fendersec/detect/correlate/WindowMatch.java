package io.fendersec.detect.correlate;

import java.util.List;

/**
 * A window where the condition held: the span {@code [end - timespan, end]} ending at a matching
 * event, with what it measured and the evidence it holds.
 */
public record WindowMatch(long windowStart, long end, long firstSeen, long lastSeen, long count,
                          List<String> evidence, String device, boolean mixedDevices) {
    public WindowMatch {
        evidence = List.copyOf(evidence);
    }
}
