package io.fendersec.job;

import java.nio.file.Path;

import io.fendersec.report.DashboardLinks;

/**
 * A parsed, validated job spec. Every section but {@code source} has a documented default:
 * no {@code rules} is the built-in pack, no {@code sinks.alerts} prints alerts to the console.
 * Built by {@link JobSpecReader}.
 */
public final class JobSpec {
    /** Where the spec came from (a file, or a resource such as the demo job), for messages. */
    public final String origin;
    /** The folder relative paths were resolved against. */
    public final Path baseDir;
    public final SourceSpec source;
    public final NormalizeSpec normalize;
    /** Lookups and GeoIP joined onto logs ({@code enrich}); none by default. */
    public final EnrichSpec enrich;
    public final RulesSpec rules;
    public final SinksSpec sinks;
    public final CheckpointSpec checkpointing;
    public final int parallelism;
    /** {@code report.dashboard-url}: the checked Bugfender dashboard link template, or null. */
    public final DashboardLinks dashboard;

    JobSpec(String origin, Path baseDir, SourceSpec source, NormalizeSpec normalize, EnrichSpec enrich, RulesSpec rules,
            SinksSpec sinks, CheckpointSpec checkpointing, int parallelism, DashboardLinks dashboard) {
        this.origin = origin;
        this.baseDir = baseDir;
        this.source = source;
        this.normalize = normalize;
        this.enrich = enrich;
        this.rules = rules;
        this.sinks = sinks;
        this.checkpointing = checkpointing;
        this.parallelism = parallelism;
        this.dashboard = dashboard;
    }

    /** The normalizer of {@code normalize} with the {@code enrich} section's lookups and GeoIP. */
    public io.fendersec.detect.normalize.Normalizer normalizer() {
        return normalize.compile().withEnrichment(enrich.enrichment());
    }
}
