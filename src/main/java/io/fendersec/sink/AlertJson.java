package io.fendersec.sink;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fendersec.model.Alert;

/**
 * The alert's JSON form (one line each in files): snake_case names, times in RFC 3339 UTC,
 * {@code device} only when there is one.
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
        return n;
    }

    public static String toJson(Alert a) {
        return write(toNode(a));
    }

    /** The alert as an OCSF Detection Finding, one JSON object (see {@link OcsfRenderer}). */
    public static String toOcsf(Alert a) {
        return write(OcsfRenderer.toNode(a));
    }

    /** The alert in the given format: {@code json} (the Fendersec form) or {@code ocsf}. */
    public static String format(Alert a, Format format) {
        return format == Format.OCSF ? toOcsf(a) : toJson(a);
    }

    /** Alert file formats, as the job spec names them ({@code format: json | ocsf}). */
    public enum Format {
        JSON, OCSF;

        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("alert format '" + name + "': expected json or ocsf");
        }
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an alert back (tests, and sinks that re-read their output). */
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
                    .tags(texts(n.get("tags"))).references(texts(n.get("references"))).build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millis(JsonNode n, String f) {
        return Instant.parse(n.get(f).asText()).toEpochMilli();
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new java.util.ArrayList<>();
        if (arr != null) {
            arr.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
