package io.fendersec.detect.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.fendersec.detect.DetectionSettings;
import io.fendersec.detect.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.NormalizedLogTypeInfoFactory;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.normalize.SecretRedactor;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * Normalizes each log and runs the detection rules over it (stateless, chained to the source).
 * A log more than {@code allowed-lateness} behind the watermark no longer updates correlations:
 * it is counted ({@code tooLateLogs}), sent to the {@link #TOO_LATE} side output for archiving,
 * and still evaluated by the rules that alert on their own. Nothing is dropped silently.
 *
 * <p>When another engine reads the same logs (SQL rules), every normalized log also goes to the
 * {@link #NORMALIZED} side output, so that a log is normalized once for both: the fields the
 * rules here extracted are not extracted again.
 *
 * <p>Matches that a Sigma filter or an exception drops are counted per filter or exception: the
 * metric {@code <kind>.<id>.droppedMatches} ({@code exception.ex-test-users.droppedMatches}) and
 * the accumulator {@link DetectionPipeline#DROPPED_PREFIX}{@code <kind> <id> (<rule>)}, which the run summary prints.
 */
final class MatchFunction extends ProcessFunction<LogRecord, GroupHits> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<LogRecord> TOO_LATE = new OutputTag<>("too-late-logs", LogRecordTypeInfo.INSTANCE);
    /** Every log as normalized here, as normalization gives it (without pipeline-derived fields such as {@code device.clock}). */
    static final OutputTag<NormalizedLog> NORMALIZED = new OutputTag<>("normalized-logs",
            NormalizedLogTypeInfoFactory.TYPE);

    private final Normalizer normalizer;
    private final RuleMatcher matcher;
    private final long allowedLateness;
    private final boolean emitNormalized;
    /** Redacts evidence text when a sink asked for evidence logs, else null. */
    private final SecretRedactor redactor;
    private transient Counter tooLate;
    private transient List<GroupHits> buffer;

    MatchFunction(Normalizer normalizer, RuleSet rules, DetectionSettings settings) {
        this(normalizer, rules, settings, false);
    }

    /** @param emitNormalized whether every normalized log also goes to {@link #NORMALIZED} */
    MatchFunction(Normalizer normalizer, RuleSet rules, DetectionSettings settings, boolean emitNormalized) {
        this.normalizer = normalizer;
        this.matcher = new RuleMatcher(rules);
        this.allowedLateness = settings.allowedLateness().toMillis();
        this.emitNormalized = emitNormalized;
        this.redactor = settings.evidenceLogs() ? SecretRedactor.of(normalizer) : null;
    }

    @Override
    public void open(OpenContext ctx) {
        tooLate = getRuntimeContext().getMetricGroup().counter("tooLateLogs");
        buffer = new ArrayList<>();
        List<RuleMatcher.Suppression> all = matcher.suppressions();
        if (!all.isEmpty()) {
            // Registered up front: a filter or exception that drops nothing shows 0, not no series.
            Counter[] counters = new Counter[all.size()];
            LongCounter[] accumulators = new LongCounter[all.size()];
            Map<String, Counter> byName = new HashMap<>();
            Map<String, LongCounter> byLabel = new HashMap<>();
            for (RuleMatcher.Suppression s : all) {
                // A filter naming two rules is one metric series (its id), and one summary line per rule.
                counters[s.index()] = byName.computeIfAbsent(s.kind() + "\0" + s.id(), k -> getRuntimeContext()
                        .getMetricGroup().addGroup(s.kind(), s.id()).counter("droppedMatches"));
                accumulators[s.index()] = byLabel.computeIfAbsent(s.label(), k -> {
                    LongCounter c = new LongCounter();
                    getRuntimeContext().addAccumulator(DetectionPipeline.DROPPED_PREFIX + k, c);
                    return c;
                });
            }
            matcher.onDrop(i -> {
                counters[i].inc();
                accumulators[i].add(1L);
            });
        }
    }

    @Override
    public void processElement(LogRecord log, Context ctx, Collector<GroupHits> out) {
        Long ts = ctx.timestamp();
        boolean timed = ts != null || log.time() != null;
        long t = ts != null ? ts : (log.time() != null ? log.time().toEpochMilli() : 0L);
        long wm = ctx.timerService().currentWatermark();
        boolean late = !timed || (wm > Long.MIN_VALUE + allowedLateness && t < wm - allowedLateness);
        if (late) {
            tooLate.inc();
            ctx.output(TOO_LATE, log);
        }
        buffer.clear();
        NormalizedLog normalized = normalizer.normalize(log);
        // The source bounds event time by the fetch (source.max-clock-skew): a claim past it is a signal.
        matcher.match(DeviceClock.judge(normalized, t), t, !late, buffer);
        if (redactor != null && !buffer.isEmpty()) {
            // Redacted here, before the text enters correlation state and checkpoints.
            List<EvidenceLog> logs = List.of(evidenceLog(log, t));
            for (GroupHits h : buffer) {
                out.collect(h.withLogs(logs));
            }
        } else {
            for (GroupHits h : buffer) {
                out.collect(h);
            }
        }
        if (emitNormalized) {
            // after matching: a chained reader extracts only the fields the rules did not read
            ctx.output(NORMALIZED, normalized);
        }
    }

    /** The log as evidence: event time, device, level name, and its text redacted of secrets and capped. */
    EvidenceLog evidenceLog(LogRecord log, long time) {
        // Redacted whole, then cut: cutting first could split a secret so that its pattern no longer
        // matches and its first half survives (RE2: linear in the text either way).
        String text = log.text();
        return EvidenceLog.capped(log.uuid(), time, log.deviceUdid(), EvidenceLog.levelName(log.logLevel()),
                text == null ? "" : redactor.redact(text));
    }
}
