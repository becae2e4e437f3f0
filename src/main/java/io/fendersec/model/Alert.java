package io.fendersec.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A detection: one per attack episode. {@code alertId} is derived from the rule id, the group
 * key and the episode start, so a replay after a failure, or a later re-emission with more
 * evidence, carries the same id and sinks can upsert.
 *
 * <p>Immutable; built with {@link #builder()}, which checks required fields. Serialized by
 * {@link AlertSerializer}, never by Kryo.
 */
@TypeInfo(AlertTypeInfoFactory.class)
public final class Alert {
    /** A fixed namespace for name-based (v5) alert ids. */
    private static final UUID NAMESPACE = UUID.fromString("6f1c2b9e-5d1a-4f7e-9a3b-0c8d4e2f1a77");

    private final String alertId;
    private final String ruleId;
    private final String kind;
    private final String title;
    private final String severity;
    private final String app;
    private final Map<String, String> group;
    private final long windowStart;
    private final long windowEnd;
    private final long firstSeen;
    private final long lastSeen;
    private final long count;
    private final List<String> evidence;
    private final String device;
    private final List<String> tags;
    private final List<String> references;
    private final List<EvidenceLog> evidenceLogs;

    private Alert(Builder b) {
        this.alertId = b.alertId;
        this.ruleId = b.ruleId;
        this.kind = b.kind;
        this.title = b.title;
        this.severity = b.severity;
        this.app = b.app;
        this.group = Collections.unmodifiableMap(new LinkedHashMap<>(b.group));
        this.windowStart = b.windowStart;
        this.windowEnd = b.windowEnd;
        this.firstSeen = b.firstSeen;
        this.lastSeen = b.lastSeen;
        this.count = b.count;
        this.evidence = List.copyOf(b.evidence);
        this.device = b.device;
        this.tags = List.copyOf(b.tags);
        this.references = List.copyOf(b.references);
        this.evidenceLogs = List.copyOf(b.evidenceLogs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The deterministic id: a name-based UUID (version 5, SHA-1) of rule id, app, group values and
     * episode start in epoch milliseconds.
     */
    public static String idFor(String ruleId, String app, Map<String, String> group, long episodeStart) {
        StringBuilder name = new StringBuilder(ruleId).append('\u001f').append(app == null ? "" : app);
        group.forEach((k, v) -> name.append('\u001f').append(k).append('=').append(v));
        name.append('\u001f').append(episodeStart);
        return uuid5(NAMESPACE, name.toString()).toString();
    }

    static UUID uuid5(UUID ns, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] nsBytes = new byte[16];
            long msb = ns.getMostSignificantBits();
            long lsb = ns.getLeastSignificantBits();
            for (int i = 0; i < 8; i++) {
                nsBytes[i] = (byte) (msb >>> (56 - 8 * i));
                nsBytes[8 + i] = (byte) (lsb >>> (56 - 8 * i));
            }
            sha1.update(nsBytes);
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            long m = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                m = (m << 8) | (h[i] & 0xff);
                l = (l << 8) | (h[8 + i] & 0xff);
            }
            return new UUID(m, l);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    public String alertId() {
        return alertId;
    }

    public String ruleId() {
        return ruleId;
    }

    /** "detection" or the correlation type. */
    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    /** The Sigma level: informational, low, medium, high or critical. */
    public String severity() {
        return severity;
    }

    public String app() {
        return app;
    }

    public Map<String, String> group() {
        return group;
    }

    public Instant windowStart() {
        return Instant.ofEpochMilli(windowStart);
    }

    public Instant windowEnd() {
        return Instant.ofEpochMilli(windowEnd);
    }

    public Instant firstSeen() {
        return Instant.ofEpochMilli(firstSeen);
    }

    public Instant lastSeen() {
        return Instant.ofEpochMilli(lastSeen);
    }

    long windowStartMillis() {
        return windowStart;
    }

    long windowEndMillis() {
        return windowEnd;
    }

    long firstSeenMillis() {
        return firstSeen;
    }

    long lastSeenMillis() {
        return lastSeen;
    }

    public long count() {
        return count;
    }

    /** Uuids of the logs behind the alert, capped. */
    public List<String> evidence() {
        return evidence;
    }

    /** The device when all evidence comes from one, else null. */
    public String device() {
        return device;
    }

    public List<String> tags() {
        return tags;
    }

    /** The ATT&CK tactics and techniques (and MASVS controls) the rule's tags name; derived, not stored. */
    public AttackTags attack() {
        return AttackTags.of(tags);
    }

    public List<String> references() {
        return references;
    }

    /**
     * The evidence logs' time, device, level and redacted, capped text (at most the evidence cap):
     * empty unless some sink asked for {@code evidence: logs}, and for such a sink only.
     */
    public List<EvidenceLog> evidenceLogs() {
        return evidenceLogs;
    }

    /** This alert without its evidence logs (for sinks with {@code evidence: ids}). */
    public Alert withoutEvidenceLogs() {
        return evidenceLogs.isEmpty() ? this : toBuilder().evidenceLogs(List.of()).build();
    }

    public Builder toBuilder() {
        return builder().alertId(alertId).ruleId(ruleId).kind(kind).title(title).severity(severity).app(app)
                .group(group).window(windowStart, windowEnd).seen(firstSeen, lastSeen).count(count)
                .evidence(evidence).device(device).tags(tags).references(references).evidenceLogs(evidenceLogs);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return windowStart == a.windowStart && windowEnd == a.windowEnd && firstSeen == a.firstSeen
                && lastSeen == a.lastSeen && count == a.count && alertId.equals(a.alertId) && ruleId.equals(a.ruleId)
                && kind.equals(a.kind) && title.equals(a.title) && severity.equals(a.severity)
                && Objects.equals(app, a.app) && group.equals(a.group) && evidence.equals(a.evidence)
                && Objects.equals(device, a.device) && tags.equals(a.tags) && references.equals(a.references)
                && evidenceLogs.equals(a.evidenceLogs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, ruleId, count, lastSeen, evidence);
    }

    @Override
    public String toString() {
        return "Alert{" + ruleId + " " + group + " id=" + alertId + " count=" + count + " first=" + firstSeen()
                + " last=" + lastSeen() + "}";
    }

    public static final class Builder {
        private String alertId;
        private String ruleId;
        private String kind = "detection";
        private String title;
        private String severity = "medium";
        private String app;
        private Map<String, String> group = Map.of();
        private long windowStart;
        private long windowEnd;
        private long firstSeen;
        private long lastSeen;
        private long count;
        private List<String> evidence = List.of();
        private String device;
        private List<String> tags = List.of();
        private List<String> references = List.of();
        private List<EvidenceLog> evidenceLogs = List.of();

        private Builder() {}

        public Builder alertId(String v) {
            this.alertId = v;
            return this;
        }

        public Builder ruleId(String v) {
            this.ruleId = v;
            return this;
        }

        public Builder kind(String v) {
            this.kind = v;
            return this;
        }

        public Builder title(String v) {
            this.title = v;
            return this;
        }

        public Builder severity(String v) {
            this.severity = v;
            return this;
        }

        public Builder app(String v) {
            this.app = v;
            return this;
        }

        public Builder group(Map<String, String> v) {
            this.group = v;
            return this;
        }

        public Builder window(long startMillis, long endMillis) {
            this.windowStart = startMillis;
            this.windowEnd = endMillis;
            return this;
        }

        public Builder seen(long firstMillis, long lastMillis) {
            this.firstSeen = firstMillis;
            this.lastSeen = lastMillis;
            return this;
        }

        public Builder count(long v) {
            this.count = v;
            return this;
        }

        public Builder evidence(List<String> v) {
            this.evidence = v;
            return this;
        }

        public Builder device(String v) {
            this.device = v;
            return this;
        }

        public Builder tags(List<String> v) {
            this.tags = v;
            return this;
        }

        public Builder references(List<String> v) {
            this.references = v;
            return this;
        }

        public Builder evidenceLogs(List<EvidenceLog> v) {
            this.evidenceLogs = v;
            return this;
        }

        public Alert build() {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(group, "group");
            if (group.values().stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("group values may not be null");
            }
            if (alertId == null) {
                throw new IllegalArgumentException("alertId is required (see Alert.idFor)");
            }
            if (windowEnd < windowStart || lastSeen < firstSeen) {
                throw new IllegalArgumentException("window and seen times must not run backwards");
            }
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative");
            }
            return new Alert(this);
        }
    }
}
