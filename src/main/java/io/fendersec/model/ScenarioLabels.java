package io.fendersec.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Labels as JSON lines, one expected alert per line:
 * {@code {"scenario":"brute-force","rule_id":"brute-force","app":"…","group":{"device.udid":"…"},
 * "start":"2026-…Z","end":"2026-…Z","evidence":["uuid",…]}}.
 */
public final class ScenarioLabels {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScenarioLabels() {}

    public static String toJson(ScenarioLabel l) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("scenario", l.scenario());
        n.put("rule_id", l.ruleId());
        n.put("app", l.app());
        ObjectNode g = n.putObject("group");
        l.group().forEach(g::put);
        n.put("start", l.start().toString());
        n.put("end", l.end().toString());
        l.evidence().forEach(n.putArray("evidence")::add);
        return n.toString();
    }

    public static ScenarioLabel fromJson(String line) throws IOException {
        JsonNode n = MAPPER.readTree(line);
        Map<String, String> group = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("group").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            group.put(e.getKey(), e.getValue().asText());
        }
        List<String> evidence = new ArrayList<>();
        n.path("evidence").forEach(x -> evidence.add(x.asText()));
        try {
            return new ScenarioLabel(text(n, "scenario"), text(n, "rule_id"), text(n, "app"), group,
                    Instant.parse(text(n, "start")), Instant.parse(text(n, "end")), evidence);
        } catch (RuntimeException e) {
            throw new IOException("not a label: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("label line lacks '" + field + "'");
        }
        return v.asText();
    }

    public static void write(Path file, List<ScenarioLabel> labels) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ScenarioLabel l : labels) {
                w.write(toJson(l));
                w.write('\n');
            }
        }
    }

    public static List<ScenarioLabel> read(Path file) throws IOException {
        List<ScenarioLabel> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    try {
                        out.add(fromJson(line));
                    } catch (IOException e) {
                        throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return out;
    }
}
