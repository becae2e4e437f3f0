package io.fendersec.job;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.fendersec.api.ClientSettings;
import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleLoader;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.sink.ArchiveSink;
import io.fendersec.source.BugfenderSource;
import io.fendersec.source.BugfenderSourceBuilder;

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
     * @return whether the job has any detection rules
     */
    public static boolean assemble(StreamExecutionEnvironment env, JobSpec spec, ClientSettings client, Instant from,
            Instant to) {
        SourceSpec s = spec.source;
        BugfenderSourceBuilder b = BugfenderSource.builder().clientSettings(client)
                .from(from).slice(s.slice).pageSize(s.pageSize).pollInterval(s.pollInterval)
                .discoveryInterval(s.discoveryInterval).maxOutOfOrderness(s.maxOutOfOrderness).idleness(s.idleness)
                .maxClockSkew(s.maxClockSkew);
        if (s.mode == SourceSpec.Mode.BOUNDED) {
            b.bounded().to(to);
        } else {
            b.continuous();
        }
        if (s.allApps()) {
            b.allApps();
        } else {
            b.apps(s.apps);
        }
        BugfenderSource source = b.build();

        DataStream<LogRecord> logs = env.fromSource(source, source.watermarkStrategy(), "bugfender")
                .uid("fendersec-source")
                .map(new RunCounters.Logs()).returns(LogRecord.class).name("count logs").uid("fendersec-count-logs");

        if (spec.sinks.archivePath != null) {
            logs.sinkTo(ArchiveSink.create(spec.sinks.archivePath, spec.sinks.privateArchive)).name("archive")
                    .uid("fendersec-archive");
        }

        RuleSet rules = loadRules(spec);
        if (rules.isEmpty() && spec.rules.sql.isEmpty()) {
            return false;
        }
        DetectionSettings settings = new DetectionSettings(spec.rules.allowedLateness, spec.rules.suppression);
        Normalizer normalizer = spec.normalize.compile();
        // Logs too late for correlations are counted by the detection operators and, like every
        // log, already in the archive: nothing more to route here.
        DataStream<Alert> alerts = rules.isEmpty() ? null : DetectionPipeline.apply(logs, normalizer, rules, settings);
        if (!spec.rules.sql.isEmpty()) {
            DataStream<Alert> sql = SqlRules.apply(env, logs, normalizer, spec.rules.sql, settings);
            alerts = alerts == null ? sql : alerts.union(sql);
        }
        AlertSinkWiring.addAll(alerts.map(new RunCounters.Alerts(rules.rules().keySet())).returns(Alert.class).name("count alerts")
                .uid("fendersec-count-alerts"), spec.sinks.alerts);
        return true;
    }

    /** The job's Sigma rules (built-in and files) with overrides applied; throws ConfigException naming file and line. */
    public static RuleSet loadRules(JobSpec spec) {
        List<String> files = spec.rules.sigma.stream().map(Path::toString).toList();
        return RuleLoader.builder().placeholders(spec.rules.placeholders).builtin(spec.rules.builtin).files(files)
                .overrides(spec.rules.overrides).load();
    }
}
