package io.fendersec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.job.JobSpecReader;
import io.fendersec.report.RuleCoverage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec rules coverage}: the ATT&CK tactics and techniques and the OWASP MASVS controls
 * the loaded rules cover, gaps included ({@link RuleCoverage}). Rule ids and titles come from
 * rule files, so every form escapes them: the table for the terminal ({@link TerminalText}), the
 * Markdown cells' pipes and angle brackets, the JSON by its own escapes.
 */
@Command(name = "coverage", description = "Show which MITRE ATT&CK tactics and techniques and which OWASP MASVS controls "
        + "the rules cover (from their tags), gaps included. Rules: the built-in pack unless RULE_FILES, --sql or --job "
        + "are given. Counts only rules that raise alerts (helpers a correlation uses raise none of their own).")
final class RulesCoverageCommand implements Callable<Integer> {
    /** Rule ids shown per table cell; the JSON lists all. */
    static final int IDS_PER_CELL = 6;

    enum Format { table, json, markdown }

    @Parameters(arity = "0..*", paramLabel = "RULE_FILES", description = "Sigma rule files, folders or globs.")
    List<String> ruleFiles = new ArrayList<>();

    @Option(names = "--sql", arity = "1..*", paramLabel = "FILE.sql", description = "Flink SQL rule files, folders or globs (tags from the `-- tags:` header).")
    List<String> sqlFiles = new ArrayList<>();

    @Option(names = "--job", paramLabel = "JOB.yaml", description = "The rules of a job file (rules.builtin, rules.sigma, rules.sql).")
    Path job;

    @Option(names = "--builtin", negatable = true, description = "Include the built-in pack (default: only when no RULE_FILES, --sql or --job).")
    Boolean builtin;

    @Option(names = "--format", defaultValue = "table", description = "table (default), json or markdown.")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RulesInForce rules;
        if (job != null) {
            if (!ruleFiles.isEmpty() || !sqlFiles.isEmpty() || builtin != null) {
                throw new ConfigException("rules coverage: --job takes the job's rules; leave out RULE_FILES, --sql and --builtin");
            }
            rules = RulesInForce.of(new JobSpecReader().read(job));
        } else {
            boolean pack = builtin != null ? builtin : ruleFiles.isEmpty() && sqlFiles.isEmpty();
            rules = RulesInForce.of(ruleFiles, sqlFiles, pack);
        }
        RuleCoverage c = rules.coverage();
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.println(TerminalText.json(json(c)));
            case markdown -> markdown(c, rules, out);
            default -> table(c, rules, out);
        }
        out.flush();
        return ExitCode.OK;
    }

    static String json(RuleCoverage c) {
        try {
            return new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void table(RuleCoverage c, RulesInForce rules, PrintWriter out) {
        RuleCoverage.Totals t = c.totals();
        out.printf("MITRE ATT&CK: %d of %d tactics covered, %d techniques, by %d of %d rules%s%n", t.tacticsCovered(),
                t.tactics(), t.techniques(), t.rulesWithAttack(), t.rules(), notCounted(rules));
        RuleCoverage.MobileTotals m = c.mobile();
        out.printf("ATT&CK for Mobile: %d of %d tactics covered, %d Mobile techniques%n", m.tacticsCovered(), m.tactics(),
                m.techniques());
        out.printf("%-22s %-10s %-8s %-11s %s%n", "TACTIC", "ENTERPRISE", "MOBILE", "TECHNIQUE", "RULES");
        for (RuleCoverage.TacticRow row : c.tactics()) {
            String head = String.format("%-22s %-10s %-8s ", row.name(), row.enterpriseId(),
                    row.mobileId() == null ? "-" : row.mobileId());
            if (!row.covered()) {
                out.println(head + String.format("%-11s %s", "-", "GAP"));
                continue;
            }
            if (row.techniques().isEmpty()) {
                out.println(head + String.format("%-11s %s", "(none)", ids(row.rules())));
            }
            for (RuleCoverage.TechniqueRow tr : row.techniques()) {
                out.println(head + String.format("%-11s %s", tr.id(), ids(tr.rules())));
                head = " ".repeat(head.length());
            }
        }
        for (RuleCoverage.TechniqueRow tr : c.untacticed()) {
            out.printf("%-22s %-10s %-8s %-11s %s%n", "(no tactic tag)", "", "", tr.id(), ids(tr.rules()));
        }
        out.println();
        out.printf("OWASP MASVS: %d of %d controls covered%n", t.masvsControlsCovered(), t.masvsControls());
        out.printf("%-20s %s%n", "CONTROL", "RULES");
        for (RuleCoverage.MasvsGroupRow g : c.masvs()) {
            if (!g.rules().isEmpty()) {
                out.printf("%-20s %s (the group as a whole)%n", g.id(), ids(g.rules()));
            }
            for (RuleCoverage.MasvsControlRow ctl : g.controls()) {
                out.printf("%-20s %s%n", ctl.id(), ctl.covered() ? ids(ctl.rules()) : "GAP");
            }
        }
        if (!c.ignoredAttackTags().isEmpty()) {
            out.printf("%nignored %d attack.* tag(s) that name no tactic or technique (groups, software, unknown): %s%n",
                    c.ignoredAttackTags().size(), ids(c.ignoredAttackTags()));
        }
        out.printf("%nSources: %s%n         %s%n", c.attackSource(), c.masvsSource());
    }

    static void markdown(RuleCoverage c, RulesInForce rules, PrintWriter out) {
        RuleCoverage.Totals t = c.totals();
        out.printf("### MITRE ATT&CK: %d of %d tactics covered, %d techniques, by %d of %d rules%s%n%n", t.tacticsCovered(),
                t.tactics(), t.techniques(), t.rulesWithAttack(), t.rules(), notCounted(rules));
        RuleCoverage.MobileTotals m = c.mobile();
        out.printf("ATT&CK for Mobile: %d of %d tactics covered, %d Mobile techniques.%n%n", m.tacticsCovered(), m.tactics(),
                m.techniques());
        out.println("| tactic | Enterprise | Mobile | technique | rules |");
        out.println("|---|---|---|---|---|");
        for (RuleCoverage.TacticRow row : c.tactics()) {
            String head = "| " + row.title() + " (`" + row.name() + "`) | " + row.enterpriseId() + " | "
                    + (row.mobileId() == null ? "–" : row.mobileId()) + " | ";
            if (!row.covered()) {
                out.println(head + "– | **gap** |");
            } else if (row.techniques().isEmpty()) {
                out.println(head + "(none) | " + cell(ids(row.rules())) + " |");
            } else {
                for (RuleCoverage.TechniqueRow tr : row.techniques()) {
                    out.println(head + tr.id() + " | " + cell(ids(tr.rules())) + " |");
                    head = "| | | | ";
                }
            }
        }
        for (RuleCoverage.TechniqueRow tr : c.untacticed()) {
            out.println("| (no tactic tag) | | | " + tr.id() + " | " + cell(ids(tr.rules())) + " |");
        }
        out.printf("%n### OWASP MASVS: %d of %d controls covered%n%n", t.masvsControlsCovered(), t.masvsControls());
        out.println("| control | title | rules |");
        out.println("|---|---|---|");
        for (RuleCoverage.MasvsGroupRow g : c.masvs()) {
            if (!g.rules().isEmpty()) {
                out.println("| " + g.id() + " | " + g.title() + " (the group as a whole) | " + cell(ids(g.rules())) + " |");
            }
            for (RuleCoverage.MasvsControlRow ctl : g.controls()) {
                out.println("| " + ctl.id() + " | " + ctl.title() + " | " + (ctl.covered() ? cell(ids(ctl.rules())) : "**gap**") + " |");
            }
        }
        out.printf("%nSources: %s; %s%n", c.attackSource(), c.masvsSource());
    }

    private static String notCounted(RulesInForce rules) {
        return rules.helpers() == 0 ? "" : " (" + rules.helpers() + " helper rule(s) that raise no alerts of their own not counted)";
    }

    /** Up to {@link #IDS_PER_CELL} ids, escaped for the terminal, then how many more. */
    static String ids(List<String> ids) {
        List<String> shown = ids.stream().limit(IDS_PER_CELL).map(TerminalText::line).toList();
        String more = ids.size() > IDS_PER_CELL ? " (+" + (ids.size() - IDS_PER_CELL) + " more)" : "";
        return String.join(", ", shown) + more;
    }

    /** A Markdown table cell: no pipe ends the cell, no tag or entity is rendered. */
    static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("`", "\\`");
    }
}
