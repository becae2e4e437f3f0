package io.fendersec.model;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The alert's JSON form (one line each in files): snake_case names, times in RFC 3339 UTC,
 * {@code device} only when there is one, {@code evidence_logs} (time, device, level, text, uuid)
 * only when the alert carries them (a sink with {@code evidence: logs}). Sinks write it and {@code report} reads it back, so it
 * lives beside {@link Alert}; other renderings (OCSF) are the sinks' own. {@code attack_tactics}
 * and {@code attack_techniques} are always written (possibly empty), from the tags ({@link AttackTags}).
 */
public final class AlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {}

    public static ObjectNode toNode(Alert a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("alert_id", a.alertId());
        n.put("rule_id", a.ruleId());
        n.put("kind", a.kind());
        n.put("title", a.title());
        n.put("severity", a.severity());
        n.put("app", a.app());
        ObjectNode group = n.putObject("group");
        a.group().forEach(group::put);
        n.put("window_start", a.windowStart().toString());
        n.put("window_end", a.windowEnd().toString());
        n.put("first_seen", a.firstSeen().toString());
        n.put("last_seen", a.lastSeen().toString());
        n.put("count", a.count());
        a.evidence().forEach(n.putArray("evidence")::add);
        if (a.evidence().isEmpty()) {
            n.putArray("evidence");
        }
        if (a.device() != null) {
            n.put("device", a.device());
        }
        n.set("tags", MAPPER.valueToTree(a.tags()));
        n.set("references", MAPPER.valueToTree(a.references()));
        AttackTags attack = a.attack();
        n.set("attack_tactics", MAPPER.valueToTree(attack.tactics()));
        n.set("attack_techniques", MAPPER.valueToTree(attack.techniques()));
        if (!a.evidenceLogs().isEmpty()) {
            ArrayNode logs = n.putArray("evidence_logs");
            for (EvidenceLog l : a.evidenceLogs()) {
                ObjectNode o = logs.addObject();
                o.put("time", l.time().toString());
                o.put("device", l.device());
                o.put("level", l.level());
                o.put("text", l.text());
                o.put("uuid", l.uuid());
            }
        }
        return n;
    }

    public static String toJson(Alert a) {
        return write(toNode(a));
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an alert back (the report, and tests that read what a sink wrote). {@code attack_tactics}
     * and {@code attack_techniques} are not read: they are derived from {@code tags}, so an alert
     * written before they existed reads the same as one written after.
     */
    public static Alert fromJson(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            Map<String, String> group = new java.util.LinkedHashMap<>();
            n.get("group").fields().forEachRemaining(e -> group.put(e.getKey(), e.getValue().asText()));
            return Alert.builder().alertId(n.get("alert_id").asText()).ruleId(n.get("rule_id").asText())
                    .kind(n.get("kind").asText()).title(n.get("title").asText()).severity(n.get("severity").asText())
                    .app(n.hasNonNull("app") ? n.get("app").asText() : null).group(group)
                    .window(millis(n, "window_start"), millis(n, "window_end"))
                    .seen(millis(n, "first_seen"), millis(n, "last_seen")).count(n.get("count").asLong())
                    .evidence(texts(n.get("evidence"))).device(n.hasNonNull("device") ? n.get("device").asText() : null)
                    .tags(texts(n.get("tags"))).references(texts(n.get("references")))
                    .evidenceLogs(logs(n.get("evidence_logs"))).build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millis(JsonNode n, String f) {
        return Instant.parse(n.get(f).asText()).toEpochMilli();
    }

    private static List<EvidenceLog> logs(JsonNode arr) {
        List<EvidenceLog> out = new java.util.ArrayList<>();
        if (arr != null && arr.isArray()) {
            for (JsonNode l : arr) {
                out.add(EvidenceLog.of(text(l, "uuid"), Instant.parse(l.get("time").asText()).toEpochMilli(),
                        text(l, "device"), text(l, "level"), text(l, "text")));
            }
        }
        return out;
    }

    private static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new java.util.ArrayList<>();
        if (arr != null) {
            arr.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
