package io.fendersec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.files.RuleFiles;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.sql.SqlRuleFile;
import io.fendersec.error.ConfigException;
import io.fendersec.job.JobSpec;
import io.fendersec.job.Pipeline;
import io.fendersec.report.RuleCoverage;

/**
 * The rules whose coverage {@code rules coverage} and {@code report} show: the rules that raise
 * alerts (a helper a correlation counts raises none of its own, and alerts carry only the alerting
 * rule's tags), Sigma and SQL, loaded as a job or {@code rules list} loads them.
 */
record RulesInForce(List<RuleCoverage.RuleRef> rules, int helpers, int skipped) {
    /** A job's rules: its {@code rules.builtin}, {@code rules.sigma} and {@code rules.sql}, overrides applied. */
    static RulesInForce of(JobSpec spec) {
        return of(Pipeline.loadRules(spec), spec.rules.sql);
    }

    /**
     * Sigma rule files, folders or globs (against the working directory) and SQL rule files, with
     * the built-in pack when {@code builtin}.
     */
    static RulesInForce of(List<String> sigma, List<String> sql, boolean builtin) {
        RuleLoader loader = RuleLoader.create().files(sigma);
        if (builtin) {
            loader.builtin(List.of("all"));
        }
        List<Path> sqlFiles = new ArrayList<>();
        for (String entry : sql) {
            try {
                sqlFiles.addAll(RuleFiles.expand(Path.of(""), entry, RuleFiles.SQL));
            } catch (ConfigException e) {
                throw new ConfigException("--sql: " + e.getMessage(), e);
            }
        }
        return of(loader.load(), sqlFiles);
    }

    static RulesInForce builtin() {
        return of(RuleLoader.builtin(), List.of());
    }

    private static RulesInForce of(RuleSet set, List<Path> sqlFiles) {
        List<RuleCoverage.RuleRef> refs = new ArrayList<>();
        int helpers = 0;
        for (Rule r : set.rules().values()) {
            if (set.alertsOnItsOwn(r.id())) {
                refs.add(new RuleCoverage.RuleRef(r.id(), r.info().title(), r.info().tags()));
            } else {
                helpers++;
            }
        }
        for (Path f : sqlFiles) {
            SqlRuleFile sql = SqlRuleFile.read(f);
            refs.add(new RuleCoverage.RuleRef(sql.ruleId(), sql.title(), sql.tags()));
        }
        return new RulesInForce(List.copyOf(refs), helpers, set.skipped().size());
    }

    RuleCoverage coverage() {
        return RuleCoverage.of(rules);
    }
}
