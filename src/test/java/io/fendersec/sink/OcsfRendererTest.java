package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

class OcsfRendererTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Alert alert(String level) {
        return Alert.builder().alertId(Alert.idFor("brute-force", "app-1", Map.of("source.ip", "203.0.113.9"), 1000))
                .ruleId("brute-force").kind("event_count").title("Brute force").severity(level).app("app-1")
                .group(Map.of("source.ip", "203.0.113.9")).window(700, 1000).seen(800, 1900).count(5)
                .evidence(List.of("u1", "u2")).device("d1").tags(List.of("attack.t1110"))
                .references(List.of("https://example.com/r")).build();
    }

    @Test
    void rendersADetectionFinding() throws Exception {
        Alert a = alert("high");
        JsonNode n = MAPPER.readTree(OcsfRenderer.toJson(a));
        assertThat(n.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(n.get("category_uid").asInt()).isEqualTo(2);
        assertThat(n.get("activity_id").asInt()).isEqualTo(1);
        assertThat(n.get("type_uid").asLong()).isEqualTo(200401);
        assertThat(n.get("severity_id").asInt()).isEqualTo(4);
        assertThat(n.get("severity").asText()).isEqualTo("High");
        assertThat(n.get("time").asLong()).isEqualTo(1000);
        JsonNode info = n.get("finding_info");
        assertThat(info.get("uid").asText()).isEqualTo(a.alertId());
        assertThat(info.get("title").asText()).isEqualTo("Brute force");
        assertThat(info.get("analytic").get("uid").asText()).isEqualTo("brute-force");
        assertThat(info.get("analytic").get("name").asText()).isEqualTo("Brute force");
        assertThat(info.get("analytic").get("type_id").asInt()).isEqualTo(1);
        assertThat(info.get("first_seen_time").asLong()).isEqualTo(800);
        assertThat(info.get("last_seen_time").asLong()).isEqualTo(1900);
        assertThat(n.get("evidences").get(0).get("data").get("log_uuids")).hasSize(2);
        JsonNode obs = n.get("observables").get(0);
        assertThat(obs.get("name").asText()).isEqualTo("source.ip");
        assertThat(obs.get("type_id").asInt()).isEqualTo(2);
        assertThat(obs.get("value").asText()).isEqualTo("203.0.113.9");
        assertThat(n.get("metadata").get("product").get("name").asText()).isEqualTo("Fendersec");
        assertThat(n.get("metadata").get("version").asText()).isNotBlank();
        assertThat(n.get("unmapped").get("app").asText()).isEqualTo("app-1");
        assertThat(n.get("unmapped").get("device").asText()).isEqualTo("d1");
        assertThat(n.get("unmapped").get("count").asLong()).isEqualTo(5);
    }

    @Test
    void attacksHoldTheRulesTacticsAndTechniques() throws Exception {
        Alert one = alert("high").toBuilder().tags(List.of("attack.credential_access", "attack.t1110",
                "attack.t1110.001", "attack.g0001", "owasp.masvs.auth-1")).build();
        JsonNode attacks = MAPPER.readTree(OcsfRenderer.toJson(one)).get("finding_info").get("attacks");
        assertThat(attacks).hasSize(2);
        assertThat(attacks.get(0).toString()).isEqualTo("{\"tactic\":{\"uid\":\"TA0006\",\"name\":\"Credential Access\"},"
                + "\"technique\":{\"uid\":\"T1110\"},\"version\":\"19\"}");
        assertThat(attacks.get(1).get("technique").get("uid").asText()).isEqualTo("T1110");
        assertThat(attacks.get(1).get("sub_technique").get("uid").asText()).isEqualTo("T1110.001");
        assertThat(attacks.get(1).get("tactic").get("uid").asText()).isEqualTo("TA0006");

        // Two tactics: which technique serves which is unknown, so no pairing is invented.
        Alert two = alert("high").toBuilder().tags(List.of("attack.initial-access", "attack.defense-evasion", "attack.t1078"))
                .build();
        JsonNode a2 = MAPPER.readTree(OcsfRenderer.toJson(two)).get("finding_info").get("attacks");
        assertThat(a2).hasSize(3);
        assertThat(a2.get(0).get("tactic").get("uid").asText()).isEqualTo("TA0001");
        assertThat(a2.get(1).get("tactic").get("name").asText()).isEqualTo("Stealth");
        assertThat(a2.get(2).has("tactic")).isFalse();
        assertThat(a2.get(2).get("technique").get("uid").asText()).isEqualTo("T1078");

        Alert none = alert("high").toBuilder().tags(List.of("cve.2021-44228")).build();
        assertThat(MAPPER.readTree(OcsfRenderer.toJson(none)).get("finding_info").has("attacks")).isFalse();
    }

    @Test
    void mapsEverySigmaLevel() throws Exception {
        Map<String, Integer> expected = Map.of("informational", 1, "low", 2, "medium", 3, "high", 4, "critical", 5,
                "bogus", 0);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(MAPPER.readTree(OcsfRenderer.toJson(alert(e.getKey()))).get("severity_id").asInt())
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void fileSinkEncoderWritesTheChosenFormat() throws Exception {
        Alert a = alert("medium");
        ByteArrayOutputStream ocsf = new ByteArrayOutputStream();
        new AlertSinks.JsonLinesEncoder(AlertFormat.parse("ocsf")).encode(a, ocsf);
        String line = ocsf.toString(StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(MAPPER.readTree(line).get("class_uid").asInt()).isEqualTo(2004);

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        new AlertSinks.JsonLinesEncoder(AlertFormat.parse("json")).encode(a, json);
        assertThat(AlertJson.fromJson(json.toString(StandardCharsets.UTF_8).trim())).isEqualTo(a);

        assertThatThrownBy(() -> AlertFormat.parse("xml")).isInstanceOf(IllegalArgumentException.class);
    }
}
