package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.report.RuleCoverage.RuleRef;

/** The coverage computation: every tactic in matrix order with gaps, techniques per tactic, MASVS controls and groups. */
class RuleCoverageTest {
    static final List<RuleRef> RULES = List.of(
            new RuleRef("bf", "Brute force", List.of("attack.credential-access", "attack.t1110.001", "attack.t1110",
                    "owasp.masvs.auth-1")),
            new RuleRef("bfs", "Brute force then success", List.of("attack.credential-access", "attack.initial-access",
                    "attack.t1110", "attack.t1078", "owasp.masvs.auth-1")),
            new RuleRef("odd", "Odd", List.of("attack.t1041", "attack.g0001", "attack.s0002", "attack.recon", "cve.2021-1",
                    "owasp.masvs.resilience")),
            new RuleRef("none", "No tags", List.of()));

    @Test
    void everyTacticInMatrixOrderCoveredOrAGap() {
        RuleCoverage c = RuleCoverage.of(RULES);
        assertThat(c.tactics()).hasSize(15);
        assertThat(c.tactics().get(0).name()).isEqualTo("reconnaissance");
        assertThat(c.tactics().get(0).covered()).isFalse();
        assertThat(c.tactics()).filteredOn(RuleCoverage.TacticRow::covered).extracting(RuleCoverage.TacticRow::name)
                .containsExactly("initial-access", "credential-access");
        RuleCoverage.TacticRow cred = c.tactics().get(8);
        assertThat(cred.rules()).containsExactly("bf", "bfs");
        // Sorted by id, a sub-technique after its technique; a technique under every tactic of its rule.
        assertThat(cred.techniques()).containsExactly(new RuleCoverage.TechniqueRow("T1078", List.of("bfs")),
                new RuleCoverage.TechniqueRow("T1110", List.of("bf", "bfs")),
                new RuleCoverage.TechniqueRow("T1110.001", List.of("bf")));
        assertThat(c.tactics().get(2).techniques()).extracting(RuleCoverage.TechniqueRow::id).containsExactly("T1078", "T1110");
        assertThat(c.untacticed()).containsExactly(new RuleCoverage.TechniqueRow("T1041", List.of("odd")));
    }

    @Test
    void totalsMasvsAndIgnoredTags() {
        RuleCoverage c = RuleCoverage.of(RULES);
        assertThat(c.totals()).isEqualTo(new RuleCoverage.Totals(4, 3, 2, 15, 4, 1, 24));
        RuleCoverage.MasvsGroupRow auth = c.masvs().get(2);
        assertThat(auth.id()).isEqualTo("MASVS-AUTH");
        assertThat(auth.controls().get(0).rules()).containsExactly("bf", "bfs");
        assertThat(auth.controls().get(1).covered()).isFalse();
        RuleCoverage.MasvsGroupRow resilience = c.masvs().get(6);
        assertThat(resilience.rules()).containsExactly("odd");
        assertThat(resilience.covered()).isTrue();
        assertThat(resilience.controls()).noneMatch(RuleCoverage.MasvsControlRow::covered);
        assertThat(c.masvs().get(0).covered()).isFalse();
        assertThat(c.ignoredAttackTags()).containsExactly("attack.g0001", "attack.recon", "attack.s0002");
    }

    @Test
    void noRulesIsAllGaps() {
        RuleCoverage c = RuleCoverage.of(List.of());
        assertThat(c.tactics()).noneMatch(RuleCoverage.TacticRow::covered);
        assertThat(c.totals()).isEqualTo(new RuleCoverage.Totals(0, 0, 0, 15, 0, 0, 24));
    }
}
