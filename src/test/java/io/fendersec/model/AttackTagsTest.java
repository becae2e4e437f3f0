package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Rule tags to ATT&CK tactics and techniques and MASVS controls, hostile and SigmaHQ-style tags included. */
class AttackTagsTest {
    @Test
    void sigmaTagsBecomeTacticsTechniquesAndMasvsControls() {
        AttackTags t = AttackTags.of(List.of("attack.credential-access", "attack.t1110", "attack.t1110.001",
                "attack.initial-access", "attack.t1078", "owasp.masvs.auth-1", "owasp.masvs.resilience"));
        assertThat(t.tactics()).containsExactly("credential-access", "initial-access");
        assertThat(t.techniques()).containsExactly("T1110", "T1110.001", "T1078");
        assertThat(t.masvs()).containsExactly("MASVS-AUTH-1", "MASVS-RESILIENCE");
    }

    @Test
    void spellingsAreNormalizedAndRepeatsDropped() {
        // Sigma v1 wrote tactics with underscores; SigmaHQ has upper-case ids here and there; SQL headers say masvs.auth.
        AttackTags t = AttackTags.of(List.of("attack.Credential_Access", " ATTACK.T1078.004 ", "attack.t1078.004",
                "attack.command_and_control", "attack.ta0027", "masvs.auth", "MASVS.STORAGE-02"));
        assertThat(t.tactics()).containsExactly("credential-access", "command-and-control", "initial-access");
        assertThat(t.techniques()).containsExactly("T1078.004");
        assertThat(t.masvs()).containsExactly("MASVS-AUTH", "MASVS-STORAGE-2");
    }

    @Test
    void mobileOnlyAndEnterpriseOnlyTacticsAreBothKnown() {
        assertThat(AttackTags.of(List.of("attack.reconnaissance", "attack.resource-development", "attack.ta0041")).tactics())
                .containsExactly("reconnaissance", "resource-development", "execution");
    }

    @Test
    void oddAndHostileTagsAreIgnoredNeverMisread() {
        List<String> tags = new ArrayList<>(Arrays.asList(
                "attack.g0001", "attack.s0002", "attack.m1036", "attack.ta9999", "attack.t123", "attack.t12345",
                "attack.t1078.4", "attack.t1078.0001", "attack.t1078x", "attack.", "attack", "attack.initial access.x",
                "attack.privilege-escalation\u001b[2J", "attack.lateral-movement.t1021", "cve.2021-44228",
                "detection.emerging-threats", "tlp.white", "car.2016-04-005", "stp.4a", "owasp.masvs.auth-9",
                "owasp.masvs.magic-1", "masvs.", "owasp.masvs.auth-1-extra", "masvs.auth-99999999999",
                "attack.t1078\n", "", "x".repeat(10_000) + "attack.t1078", "attack." + "t".repeat(100_000)));
        tags.add(null);
        AttackTags t = AttackTags.of(tags);
        // "attack.t1078\n" strips to a technique, which is how YAML would hand over a folded scalar.
        assertThat(t.tactics()).isEmpty();
        assertThat(t.techniques()).containsExactly("T1078");
        assertThat(t.masvs()).isEmpty();
        assertThat(AttackTags.of(null)).isEqualTo(AttackTags.NONE);
    }

    @Test
    void attackV19TacticsAndTheFormerDefenseEvasionName() {
        // SigmaHQ since ATT&CK v19 writes attack.stealth and attack.defense-impairment; older rules
        // (and the built-in pack) attack.defense-evasion, TA0005's name before v19, now Stealth.
        assertThat(AttackTags.of(List.of("attack.defense-impairment", "attack.defense_evasion", "attack.stealth",
                "attack.ta0112")).tactics()).containsExactly("defense-impairment", "stealth");
    }

    @Test
    void parentOfASubTechnique() {
        assertThat(AttackTags.parentTechnique("T1078.004")).isEqualTo("T1078");
        assertThat(AttackTags.parentTechnique("T1078")).isEqualTo("T1078");
    }

    @Test
    void catalogHasBothMatricesInOrderAndEveryMasvsControl() {
        AttackCatalog c = AttackCatalog.get();
        assertThat(c.tactics()).extracting(AttackCatalog.Tactic::name).containsExactly("reconnaissance",
                "resource-development", "initial-access", "execution", "persistence", "privilege-escalation",
                "stealth", "defense-impairment", "credential-access", "discovery", "lateral-movement", "collection",
                "command-and-control", "exfiltration", "impact");
        assertThat(c.tactics()).filteredOn(x -> x.mobileId() != null).hasSize(12);
        assertThat(c.tacticById("TA0027").orElseThrow().name()).isEqualTo("initial-access");
        assertThat(c.masvsGroups()).extracting(AttackCatalog.MasvsGroup::id).containsExactly("MASVS-STORAGE",
                "MASVS-CRYPTO", "MASVS-AUTH", "MASVS-NETWORK", "MASVS-PLATFORM", "MASVS-CODE", "MASVS-RESILIENCE",
                "MASVS-PRIVACY");
        assertThat(c.masvsGroups().stream().mapToInt(g -> g.controls().size()).sum()).isEqualTo(24);
        assertThat(c.attackSource()).contains("ATT&CK v19");
    }

    @Test
    void alertJsonCarriesTheFieldsAndRoundTrips() throws Exception {
        Alert a = Alert.builder().alertId("a1").ruleId("r").kind("detection").title("T").severity("high").app("app")
                .window(1000, 2000).seen(1000, 2000).count(1).evidence(List.of("u1"))
                .tags(List.of("attack.initial_access", "attack.t1078", "attack.t1078.004", "attack.g0001", "cve.2021-1"))
                .references(List.of()).build();
        String json = AlertJson.toJson(a);
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("attack_tactics").toString()).isEqualTo("[\"initial-access\"]");
        assertThat(n.get("attack_techniques").toString()).isEqualTo("[\"T1078\",\"T1078.004\"]");
        Alert back = AlertJson.fromJson(json);
        assertThat(back).isEqualTo(a);
        assertThat(AlertJson.toJson(back)).isEqualTo(json);

        Alert untagged = a.toBuilder().tags(List.of()).build();
        JsonNode empty = new ObjectMapper().readTree(AlertJson.toJson(untagged));
        assertThat(empty.get("attack_tactics").isArray()).isTrue();
        assertThat(empty.get("attack_tactics")).isEmpty();
        assertThat(empty.get("attack_techniques")).isEmpty();
    }
}
