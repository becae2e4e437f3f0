package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import io.fendersec.model.EvidenceLog;

/**
 * What one log (or one chained episode) brings to one group: a {@link Hit} for each rule it
 * counts for there, sharing the app, group, time, device and evidence. A failed login typically
 * feeds a device's single-event rules and an address's brute-force correlations: two of these
 * instead of a dozen hits, each serialized, shuffled and looked up in state on its own.
 *
 * <p>The group is keyed by its field names and values (not by rule), so every rule with the
 * same group-by shares one keyed state. Immutable; serialized by {@link GroupHitsSerializer}.
 */
@TypeInfo(GroupHitsTypeInfoFactory.class)
public final class GroupHits {
    /** Event-time order, then a deterministic tie break. */
    public static final Comparator<GroupHits> ORDER = Comparator.comparingLong(GroupHits::time)
            .thenComparing(g -> g.evidence.isEmpty() ? "" : g.evidence.get(0))
            .thenComparing(g -> g.targets.get(0).source())
            .thenComparing(g -> g.targets.get(0).target());

    /** One rule this counts for: its target, the rule that matched, and the value_count value (or null). */
    public record Target(String target, String source, String value) {
        public Target {
            Objects.requireNonNull(target);
            Objects.requireNonNull(source);
        }
    }

    private static final Comparator<Target> TARGET_ORDER = (a, b) -> {
        int c = a.source().compareTo(b.source());
        return c != 0 ? c : a.target().compareTo(b.target());
    };

    private final int stage;
    private final String app;
    private final Map<String, String> group;
    private final long time;
    private final String device;
    private final List<String> evidence;
    private final List<EvidenceLog> logs;
    private final List<Target> targets;
    private transient String key;

    /**
     * @param stage   the keyed stage that processes it (every target of one instance has this stage)
     * @param targets at least one
     */
    public GroupHits(int stage, String app, Map<String, String> group, long time, String device,
                     List<String> evidence, List<Target> targets) {
        this(stage, app, group, time, device, evidence, List.of(), targets);
    }

    /** @param logs the evidence logs' text when a sink asked for it, else empty */
    public GroupHits(int stage, String app, Map<String, String> group, long time, String device,
                     List<String> evidence, List<EvidenceLog> logs, List<Target> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target");
        }
        this.stage = stage;
        this.app = app;
        this.group = Hit.freeze(group);
        this.time = time;
        this.device = device;
        this.evidence = List.copyOf(evidence);
        this.logs = List.copyOf(logs);
        List<Target> sorted = new ArrayList<>(targets);
        sorted.sort(TARGET_ORDER);
        this.targets = List.copyOf(sorted);
    }

    /** One hit on its own (a chained correlation's episode). */
    public static GroupHits of(int stage, Hit h) {
        return new GroupHits(stage, h.app(), h.group(), h.time(), h.device(), h.evidence(), h.logs(),
                List.of(new Target(h.target(), h.source(), h.value())));
    }

    public int stage() {
        return stage;
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

    public String device() {
        return device;
    }

    public List<String> evidence() {
        return evidence;
    }

    public List<EvidenceLog> logs() {
        return logs;
    }

    /** These hits carrying {@code logs} (the log behind them, when a sink asked for evidence logs). */
    public GroupHits withLogs(List<EvidenceLog> logs) {
        return new GroupHits(stage, app, group, time, device, evidence, logs, targets);
    }

    public List<Target> targets() {
        return targets;
    }

    /** The hits, one per target. */
    public List<Hit> hits() {
        List<Hit> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            out.add(new Hit(t.target(), t.source(), app, group, time, t.value(), device, evidence, logs, true));
        }
        return out;
    }

    /**
     * The state key: app, then the group's names and values. Names are part of it because the
     * rules sharing a key must agree on what the group is, not only on its values.
     */
    public String key() {
        if (key == null) {
            StringBuilder b = new StringBuilder(app == null ? "" : app);
            for (Map.Entry<String, String> e : group.entrySet()) {
                b.append('\u001f').append(e.getKey()).append('\u001e').append(e.getValue());
            }
            key = b.toString();
        }
        return key;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GroupHits)) {
            return false;
        }
        GroupHits g = (GroupHits) o;
        return stage == g.stage && time == g.time && Objects.equals(app, g.app) && group.equals(g.group)
                && Objects.equals(device, g.device) && evidence.equals(g.evidence) && logs.equals(g.logs)
                && targets.equals(g.targets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stage, app, group, time, device, evidence, targets);
    }

    @Override
    public String toString() {
        return "GroupHits{" + targets + " " + group + " @" + time + " " + evidence + "}";
    }
}
