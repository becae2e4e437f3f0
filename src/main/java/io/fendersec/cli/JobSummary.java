package io.fendersec.cli;

import io.fendersec.job.JobSpec;
import io.fendersec.job.SourceSpec;

/** One-line descriptions of a job for the CLI. */
final class JobSummary {
    private JobSummary() {}

    static String describe(JobSpec spec) {
        SourceSpec s = spec.source;
        String where = s.emulator != null ? "embedded emulator" : s.client.baseUrl().toString();
        String apps = s.settings.allApps() ? "all apps" : s.settings.appIds().size() + " app(s)";
        String from = s.from != null ? s.from.toString() : s.emulator != null ? "the data's start" : "-24h";
        String to = s.to != null ? s.to.toString() : s.emulator != null ? "the data's end" : "now";
        String range = s.settings.bounded() ? "from " + from + " to " + to : "tail from " + from;
        String rules = spec.rules.builtin.isEmpty() && spec.rules.sigma.isEmpty() && spec.rules.sql.isEmpty()
                ? "no rules"
                : "rules: builtin " + spec.rules.builtin + ", " + spec.rules.sigma.size() + " Sigma file(s), "
                        + spec.rules.sql.size() + " SQL file(s)";
        String alerts = spec.sinks.alerts.isEmpty() ? "alerts to the console" : spec.sinks.alerts.size() + " alert sink(s)";
        return s.settings.mode().name().toLowerCase() + " read of " + apps + " at " + where + ", " + range + "; " + rules + "; "
                + alerts + (spec.sinks.archivePath != null ? "; archive " + spec.sinks.archivePath : "");
    }
}
