package io.fendersec.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.fendersec.model.AttackCatalog;
import io.fendersec.model.AttackTags;

/**
 * Which ATT&CK tactics and techniques, and which OWASP MASVS controls, a set of rules covers,
 * from their tags ({@link AttackTags}): every tactic of the catalog in matrix order, covered or a
 * gap, with the techniques of the rules tagged with it; then every MASVS group and control. A pure
 * function of the rules, shared by {@code fendersec rules coverage} and the report page.
 *
 * <p>Tags do not say which technique serves which tactic, so a technique is listed under every
 * tactic of a rule that names both; techniques of rules without a tactic tag are listed apart
 * ({@link #untacticed()}). A MASVS control is covered by a tag naming it; a tag naming only a
 * group ({@code owasp.masvs.resilience}) covers the group, not a control.
 */
public record RuleCoverage(
        String attackSource,
        String masvsSource,
        Totals totals,
        List<TacticRow> tactics,
        List<TechniqueRow> untacticed,
        List<MasvsGroupRow> masvs,
        List<String> ignoredAttackTags,
        List<RuleRef> rules) {

    /** A rule that raises alerts, as coverage sees it: its id, title and tags. */
    public record RuleRef(String id, String title, List<String> tags) {
        public RuleRef {
            tags = List.copyOf(tags);
        }
    }

    /**
     * {@code rules} counted, those with at least one ATT&CK tactic or technique, tactics covered of
     * all, distinct techniques, MASVS controls covered of all.
     */
    public record Totals(int rules, int rulesWithAttack, int tacticsCovered, int tactics, int techniques,
            int masvsControlsCovered, int masvsControls) {}

    public record TacticRow(String name, String title, String enterpriseId, String mobileId, List<String> rules,
            List<TechniqueRow> techniques) {
        public boolean covered() {
            return !rules.isEmpty();
        }
    }

    public record TechniqueRow(String id, List<String> rules) {}

    /**
     * The ATT&CK for Mobile matrix alone (issue 30): its tactics covered of all, and the distinct
     * techniques of the rules that are Mobile techniques.
     */
    public record MobileTotals(int tacticsCovered, int tactics, int techniques) {}

    /** The Mobile matrix's share of {@link #totals()}: tactics with a Mobile id, Mobile techniques. */
    @com.fasterxml.jackson.annotation.JsonProperty("mobile")
    public MobileTotals mobile() {
        AttackCatalog catalog = AttackCatalog.get();
        int tacticsCovered = (int) tactics.stream().filter(t -> t.mobileId() != null && t.covered()).count();
        int mobileTactics = (int) tactics.stream().filter(t -> t.mobileId() != null).count();
        java.util.Set<String> techniques = new java.util.TreeSet<>();
        tactics.forEach(t -> t.techniques().forEach(tr -> techniques.add(tr.id())));
        untacticed.forEach(tr -> techniques.add(tr.id()));
        return new MobileTotals(tacticsCovered, mobileTactics,
                (int) techniques.stream().filter(catalog::isMobileTechnique).count());
    }

    /** {@code rules}: the rules tagging the group as a whole. */
    public record MasvsGroupRow(String id, String title, List<String> rules, List<MasvsControlRow> controls) {
        public boolean covered() {
            return !rules.isEmpty() || controls.stream().anyMatch(MasvsControlRow::covered);
        }
    }

    public record MasvsControlRow(String id, String title, List<String> rules) {
        public boolean covered() {
            return !rules.isEmpty();
        }
    }

    public static RuleCoverage of(List<RuleRef> rules) {
        AttackCatalog catalog = AttackCatalog.get();
        Map<String, Set<String>> rulesByTactic = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> techniquesByTactic = new LinkedHashMap<>();
        Map<String, Set<String>> untacticed = new TreeMap<>();
        Map<String, Set<String>> rulesByMasvs = new LinkedHashMap<>();
        Set<String> techniques = new LinkedHashSet<>();
        Set<String> ignored = new TreeSet<>(); // attack.* tags that name no tactic or technique (groups, software, typos)
        int withAttack = 0;
        for (RuleRef r : rules) {
            AttackTags a = AttackTags.of(r.tags());
            if (!a.tactics().isEmpty() || !a.techniques().isEmpty()) {
                withAttack++;
            }
            techniques.addAll(a.techniques());
            for (String tactic : a.tactics()) {
                rulesByTactic.computeIfAbsent(tactic, k -> new LinkedHashSet<>()).add(r.id());
                Map<String, Set<String>> byTechnique = techniquesByTactic.computeIfAbsent(tactic, k -> new TreeMap<>());
                a.techniques().forEach(t -> byTechnique.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(r.id()));
            }
            if (a.tactics().isEmpty()) {
                a.techniques().forEach(t -> untacticed.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(r.id()));
            }
            a.masvs().forEach(m -> rulesByMasvs.computeIfAbsent(m, k -> new LinkedHashSet<>()).add(r.id()));
            for (String tag : r.tags()) {
                if (tag != null && tag.strip().toLowerCase(Locale.ROOT).startsWith("attack.")
                        && AttackTags.of(List.of(tag)).equals(AttackTags.NONE)) {
                    ignored.add(tag.strip());
                }
            }
        }
        List<TacticRow> tacticRows = new ArrayList<>();
        for (AttackCatalog.Tactic t : catalog.tactics()) {
            tacticRows.add(new TacticRow(t.name(), t.title(), t.enterpriseId(), t.mobileId(),
                    List.copyOf(rulesByTactic.getOrDefault(t.name(), Set.of())),
                    rows(techniquesByTactic.getOrDefault(t.name(), Map.of()))));
        }
        List<MasvsGroupRow> masvsRows = new ArrayList<>();
        int controls = 0;
        int controlsCovered = 0;
        for (AttackCatalog.MasvsGroup g : catalog.masvsGroups()) {
            List<MasvsControlRow> cs = new ArrayList<>();
            for (AttackCatalog.MasvsControl c : g.controls()) {
                MasvsControlRow row = new MasvsControlRow(c.id(), c.title(),
                        List.copyOf(rulesByMasvs.getOrDefault(c.id(), Set.of())));
                cs.add(row);
                controls++;
                controlsCovered += row.covered() ? 1 : 0;
            }
            masvsRows.add(new MasvsGroupRow(g.id(), g.title(), List.copyOf(rulesByMasvs.getOrDefault(g.id(), Set.of())),
                    List.copyOf(cs)));
        }
        int tacticsCovered = (int) tacticRows.stream().filter(TacticRow::covered).count();
        Totals totals = new Totals(rules.size(), withAttack, tacticsCovered, tacticRows.size(), techniques.size(),
                controlsCovered, controls);
        return new RuleCoverage(catalog.attackSource(), catalog.masvsSource(), totals, List.copyOf(tacticRows),
                rows(untacticed), List.copyOf(masvsRows), List.copyOf(ignored), List.copyOf(rules));
    }

    /** Techniques sorted by id, so a sub-technique follows its technique. */
    private static List<TechniqueRow> rows(Map<String, Set<String>> byTechnique) {
        List<TechniqueRow> out = new ArrayList<>();
        new TreeMap<>(byTechnique).forEach((t, rs) -> out.add(new TechniqueRow(t, List.copyOf(rs))));
        return List.copyOf(out);
    }
}
