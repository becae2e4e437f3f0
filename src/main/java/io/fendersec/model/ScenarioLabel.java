package io.fendersec.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ground truth for one expected alert: the attack scenario it comes from, the rule that should
 * find it, the app and group the alert should carry, the attack's time span and the uuids of the
 * logs that make it up. Written by the emulator ({@code --labels FILE}), read by the demo and the
 * detection tests through {@link LabelMatcher}; it lives in {@code model} so that neither side
 * depends on the other.
 *
 * @param scenario the emulator scenario that produced it
 * @param ruleId   the rule that must alert (usually the scenario name; a scenario that also contains
 *                 another attack, e.g. a brute force that then succeeds, has one label per alert)
 * @param group    the rule's group-by values, e.g. {@code {"device.udid": "…"}}
 * @param start    device time of the first evidence log (the event-time span the alert falls in;
 *                 for logs dated past their arrival, which a reader analyzes at most at fetch +
 *                 max-clock-skew, the arrival)
 * @param end      device time of the last evidence log
 * @param evidence uuids of the logs that make up the attack
 */
public record ScenarioLabel(String scenario, String ruleId, String app, Map<String, String> group, Instant start,
                            Instant end, List<String> evidence) {
    public ScenarioLabel {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("label end " + end + " is before its start " + start);
        }
        group = Collections.unmodifiableMap(new LinkedHashMap<>(group));
        evidence = List.copyOf(evidence);
    }
}
