package io.fendersec.job;

import java.time.Instant;
import java.util.List;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.api.ClientSettings;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.sink.ArchiveSink;
import io.fendersec.source.BugfenderSource;
import io.fendersec.source.archive.ArchiveSource;

/**
 * Assembles a job from its spec: source → (archive) and source → detect → alert sinks. Every
 * stateful operator has a fixed uid so that a changed job still restores from a checkpoint.
 */
public final class Pipeline {
    private Pipeline() {}

    /**
     * @param client where and how to read (the spec's, or the embedded emulator's)
     * @param from resolved start of the range
     * @param to resolved end of the range, or null for a continuous read
     */
    public static void assemble(StreamExecutionEnvironment env, JobSpec spec, ClientSettings client, Instant from,
            Instant to) {
        DataStream<LogRecord> read;
        if (spec.source.archive != null) {
            // A hunt: the raw-log archive instead of the API, the rest of the job as for a run.
            read = ArchiveSource.read(env, spec.source.archive, from, to);
        } else {
            BugfenderSource source = BugfenderSource.builder().clientSettings(client).settings(spec.source.settings)
                    .from(from).to(to).build();
            read = env.fromSource(source, source.watermarkStrategy(), "bugfender").uid("fendersec-source");
        }
        DataStream<LogRecord> logs = read
                .map(new RunCounters.Logs()).returns(LogRecord.class).name("count logs").uid("fendersec-count-logs");

        if (spec.sinks.archivePath != null) {
            logs.sinkTo(ArchiveSink.create(spec.sinks.archivePath, spec.sinks.privateArchive)).name("archive")
                    .uid("fendersec-archive");
        }

        boolean watch = watches(spec, to);
        DetectionPipeline.LiveRules live = null;
        RuleSet rules;
        Normalizer normalizer = spec.normalizer();
        if (watch) {
            WatchedRules watched = watchedRules(spec);
            RuleSnapshot initial = watched.read();
            rules = watched.compile(initial);
            if (watched.watchesLookups()) {
                // the tables of the snapshot in force, not those read with the spec: the files may have changed since
                normalizer = watched.normalizer(initial);
            }
            live = new DetectionPipeline.LiveRules(watched, initial);
        } else {
            rules = loadRules(spec);
        }
        if (rules.isEmpty() && spec.rules.sql.isEmpty()) {
            return;
        }
        DetectionSettings settings = new DetectionSettings(spec.rules.allowedLateness, spec.rules.suppression)
                .withEvidenceLogs(spec.sinks.anyEvidenceLogs()).withMaxGroups(spec.rules.maxGroups);
        if (spec.source.archive != null || spec.source.settings.bounded()) {
            // A bounded read: no log can come behind the watermark (the source's read frontier; a hunt
            // holds its watermark until the end of the archive), so nothing is kept for late ones
            // (issue 26 §1; docs/rules.md "Late logs").
            settings = settings.forBoundedRead();
        }
        // Logs too late for correlations are counted by the detection operators and, like every
        // log, already in the archive: nothing more to route here.
        boolean sql = !spec.rules.sql.isEmpty();
        DataStream<Alert> alerts;
        if (rules.isEmpty()) {
            alerts = SqlRules.apply(env, logs, normalizer, spec.rules.sql, settings);
        } else {
            // With both engines, SQL reads the logs the Sigma operator normalized: normalized once.
            // A continuous job (to == null) reads logs as they arrive: its late logs are judged by arrival too.
            DetectionPipeline.Streams detect = DetectionPipeline.build(logs, normalizer, rules, settings, sql, live,
                    to == null);
            alerts = !sql ? detect.alerts() : detect.alerts().union(
                    SqlRules.applyToNormalized(env, detect.normalizedLogs(), spec.rules.sql, settings));
        }
        AlertSinkWiring.addAll(alerts.map(new RunCounters.Alerts(rules.rules().keySet())).returns(Alert.class).name("count alerts")
                .uid("fendersec-count-alerts"), spec.sinks);
    }

    /**
     * Whether the job watches files while it runs: a continuous job ({@code to} null) with
     * {@code rules.reload-interval} set, and rule or lookup files to watch. A bounded run reads
     * them once (it ends).
     */
    static boolean watches(JobSpec spec, Instant to) {
        return to == null && spec.rules.reloadInterval != null
                && (!spec.rules.sigmaPatterns.isEmpty() || spec.rules.exceptions != null
                        || !spec.enrich.lookupFiles().isEmpty());
    }

    /**
     * What a continuous job watches: {@code rules.sigma} as written, re-expanded at every look
     * against the job file's folder, compiled with the job's built-in rules, placeholders and
     * overrides (the same rules as {@link #loadRules}); and the lookup files of {@code enrich},
     * joined as {@link JobSpec#normalizer()} joins them (GeoIP as opened at start). The stage
     * limit is set by the pipeline.
     */
    static WatchedRules watchedRules(JobSpec spec) {
        return new WatchedRules(spec.baseDir, spec.rules.sigmaPatterns, spec.rules.builtin, spec.rules.placeholders,
                spec.rules.overrides, Integer.MAX_VALUE, spec.rules.reloadInterval).withExceptions(spec.rules.exceptions)
                .withPipelines(spec.rules.pipelines)
                .withLookups(spec.enrich.lookupFiles(), spec.enrich.enrichment().geoIp(), spec.normalizer());
    }

    /** The job's Sigma rules (built-in and files) with overrides applied; throws ConfigException naming file and line. */
    public static RuleSet loadRules(JobSpec spec) {
        RuleLoader loader = RuleLoader.create().placeholders(spec.rules.placeholders).builtin(spec.rules.builtin)
                .pipelines(spec.rules.pipelines).paths(spec.rules.sigma).overrides(spec.rules.overrides);
        if (spec.rules.exceptions != null) {
            loader.exceptionsFile(spec.rules.exceptions);
        }
        return loader.load();
    }
}
