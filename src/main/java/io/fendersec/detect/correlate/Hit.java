package io.fendersec.detect.correlate;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import io.fendersec.model.EvidenceLog;

/**
 * One match travelling to the stateful stage: "rule {@code source} matched at {@code time}, which
 * counts for {@code target} in this group". For a correlation target the group is its group-by
 * values; for a detection rule alerting on its own it is the device. Evidence is the log uuids
 * behind the match (one for a log, several for a chained correlation's match).
 *
 * <p>Immutable; serialized by {@link HitSerializer}.
 */
@TypeInfo(HitTypeInfoFactory.class)
public final class Hit {
    /**
     * Event-time order with deterministic tie breaks (first evidence uuid, source, target), so
     * shuffled input is processed like sorted input. Written out rather than chained
     * ({@code comparingLong(...).thenComparing(...)}): it runs for every hit held and added.
     */
    public static final Comparator<Hit> ORDER = Hit::compareInOrder;

    private final String target;
    private final String source;
    private final String app;
    private final Map<String, String> group;
    private final long time;
    private final String value;
    private final String device;
    private final List<String> evidence;
    private final List<EvidenceLog> logs;

    public Hit(String target, String source, String app, Map<String, String> group, long time, String value,
               String device, List<String> evidence) {
        this(target, source, app, group, time, value, device, evidence, List.of());
    }

    /** @param logs the evidence logs' text, when a sink asked for it (else empty), at most one per evidence uuid */
    public Hit(String target, String source, String app, Map<String, String> group, long time, String value,
               String device, List<String> evidence, List<EvidenceLog> logs) {
        this(target, source, app, freeze(group), time, value, device, List.copyOf(evidence), List.copyOf(logs), true);
    }

    /** For callers in this package whose group, evidence and logs are already immutable: no copies. */
    Hit(String target, String source, String app, Map<String, String> group, long time, String value,
        String device, List<String> evidence, List<EvidenceLog> logs, boolean frozen) {
        this.target = Objects.requireNonNull(target);
        this.source = Objects.requireNonNull(source);
        this.app = app;
        this.group = group;
        this.time = time;
        this.value = value;
        this.device = device;
        this.evidence = evidence;
        this.logs = logs;
    }

    /** An immutable copy keeping the order of the group-by fields (most groups have one). */
    static Map<String, String> freeze(Map<String, String> group) {
        if (group.size() == 1) {
            Map.Entry<String, String> e = group.entrySet().iterator().next();
            return Map.of(e.getKey(), e.getValue());
        }
        return group.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(group));
    }

    /** The rule this hit counts for (a correlation, or a detection alerting on its own). */
    public String target() {
        return target;
    }

    /** The rule that matched. */
    public String source() {
        return source;
    }

    public String app() {
        return app;
    }

    public Map<String, String> group() {
        return group;
    }

    public long time() {
        return time;
    }

    /** The value_count field's value, else null. */
    public String value() {
        return value;
    }

    public String device() {
        return device;
    }

    public List<String> evidence() {
        return evidence;
    }

    /** The evidence logs (text, time, device, level), empty unless a sink asked for them. */
    public List<EvidenceLog> logs() {
        return logs;
    }

    /** The state key: target, app and group values. Correlations never mix apps. */
    public String key() {
        StringBuilder b = new StringBuilder(target).append('\u001f').append(app == null ? "" : app);
        for (String v : group.values()) {
            b.append('\u001f').append(v);
        }
        return b.toString();
    }

    private static int compareInOrder(Hit a, Hit b) {
        int c = Long.compare(a.time, b.time);
        if (c == 0) {
            c = a.firstEvidence().compareTo(b.firstEvidence());
        }
        if (c == 0) {
            c = a.source.compareTo(b.source);
        }
        if (c == 0) {
            c = a.target.compareTo(b.target);
        }
        return c;
    }

    private String firstEvidence() {
        return evidence.isEmpty() ? "" : evidence.get(0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Hit)) {
            return false;
        }
        Hit h = (Hit) o;
        return time == h.time && target.equals(h.target) && source.equals(h.source) && Objects.equals(app, h.app)
                && group.equals(h.group) && Objects.equals(value, h.value) && Objects.equals(device, h.device)
                && evidence.equals(h.evidence) && logs.equals(h.logs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, source, app, group, time, value, device, evidence);
    }

    @Override
    public String toString() {
        return "Hit{" + source + "->" + target + " " + group + " @" + time + " " + evidence + "}";
    }
}
