package io.fendersec.job;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.PrintSink;

import io.fendersec.api.ClientSettings;
import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleLoader;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.error.TerminalText;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.sink.AlertJson;
import io.fendersec.sink.AlertSinks;
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
        boolean sql = !spec.rules.sql.isEmpty();
        DataStream<Alert> alerts;
        if (rules.isEmpty()) {
            alerts = SqlRules.apply(env, logs, normalizer, spec.rules.sql, settings);
        } else {
            // With both engines, SQL reads the logs the Sigma operator normalized: normalized once.
            DetectionPipeline.Streams detect = DetectionPipeline.build(logs, normalizer, rules, settings, sql);
            alerts = !sql ? detect.alerts() : detect.alerts().union(
                    SqlRules.applyToNormalized(env, detect.normalizedLogs(), spec.rules.sql, settings));
        }
        addAlertSinks(alerts.map(new RunCounters.Alerts(rules.rules().keySet())).returns(Alert.class).name("count alerts")
                .uid("fendersec-count-alerts"), spec.sinks.alerts);
        return true;
    }

    /** The job's Sigma rules (built-in and files) with overrides applied; throws ConfigException naming file and line. */
    public static RuleSet loadRules(JobSpec spec) {
        List<String> files = spec.rules.sigma.stream().map(Path::toString).toList();
        return RuleLoader.builder().placeholders(spec.rules.placeholders).builtin(spec.rules.builtin).files(files)
                .overrides(spec.rules.overrides).load();
    }

    private static void addAlertSinks(DataStream<Alert> alerts, List<SinksSpec.AlertSinkSpec> sinks) {
        if (sinks.isEmpty()) {
            printToConsole(alerts);
            return;
        }
        for (int i = 0; i < sinks.size(); i++) {
            SinksSpec.AlertSinkSpec sink = sinks.get(i);
            // The position keeps each sink's uid stable across restarts (Kafka restores its transactions by it).
            if (AlertSinkWiring.handles(sink.type)) {
                AlertSinkWiring.add(alerts, sink, i);
            } else if ("file".equals(sink.type)) {
                alerts.sinkTo(AlertSinks.jsonLinesFile((String) sink.settings.get("path"), (String) sink.settings.get("format")))
                        .name("alerts: file")
                        .uid("fendersec-alerts-file-" + i);
            } else if ("console".equals(sink.type)) {
                printToConsole(alerts);
            } else {
                throw new IllegalStateException("sink type " + sink.type + " passed validation but is not wired");
            }
        }
    }

    private static void printToConsole(DataStream<Alert> alerts) {
        // Alerts quote device text (groups, titles): escaped so nothing reaches a terminal raw.
        alerts.map(Pipeline::consoleLine).returns(Types.STRING).name("alerts: json")
                .sinkTo(new PrintSink<>()).name("alerts: console").setParallelism(1);
    }

    static String consoleLine(Alert alert) {
        return TerminalText.json(AlertJson.toJson(alert));
    }
}
