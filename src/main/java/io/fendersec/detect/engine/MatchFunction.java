package io.fendersec.detect.engine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.NormalizedLogTypeInfoFactory;
import io.fendersec.detect.normalize.Normalizer;
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
 * <p>Matches that a Sigma filter or an exception drops are counted per filter or exception
 * ({@link DropCounters}).
 */
final class MatchFunction extends ProcessFunction<LogRecord, GroupHits> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<LogRecord> TOO_LATE = new OutputTag<>("too-late-logs", LogRecordTypeInfo.INSTANCE);
    /** Every log as normalized here, as normalization gives it (without pipeline-derived fields such as {@code device.clock}). */
    static final OutputTag<NormalizedLog> NORMALIZED = new OutputTag<>("normalized-logs",
            NormalizedLogTypeInfoFactory.TYPE);

    private final LogMatch logMatch;
    private final RuleMatcher matcher;
    private transient Counter tooLate;
    /** The element's context, for {@link #sides} (made once: this runs for every log). */
    private transient Context current;
    private transient LogMatch.Sides sides;

    MatchFunction(Normalizer normalizer, RuleSet rules, DetectionSettings settings) {
        this(normalizer, rules, settings, false);
    }

    /** @param emitNormalized whether every normalized log also goes to {@link #NORMALIZED} */
    MatchFunction(Normalizer normalizer, RuleSet rules, DetectionSettings settings, boolean emitNormalized) {
        this(new LogMatch(normalizer, settings, emitNormalized), rules);
    }

    /** The match of the arrival lane's re-timed logs: correlations only (see {@link ArrivalLane}). */
    static MatchFunction retimed(Normalizer normalizer, RuleSet rules, DetectionSettings settings) {
        return new MatchFunction(new LogMatch(normalizer, settings, false, true), rules);
    }

    private MatchFunction(LogMatch logMatch, RuleSet rules) {
        this.logMatch = logMatch;
        this.matcher = new RuleMatcher(rules);
    }

    @Override
    public void open(OpenContext ctx) {
        tooLate = getRuntimeContext().getMetricGroup().counter("tooLateLogs");
        new DropCounters(getRuntimeContext()).attach(matcher);
        sides = new LogMatch.Sides() {
            @Override
            public void tooLate(LogRecord l) {
                tooLate.inc();
                current.output(TOO_LATE, l);
            }

            @Override
            public void normalized(NormalizedLog l) {
                current.output(NORMALIZED, l);
            }
        };
    }

    @Override
    public void processElement(LogRecord log, Context ctx, Collector<GroupHits> out) {
        current = ctx;
        logMatch.process(matcher, log, ctx.timestamp(), ctx.timerService().currentWatermark(), out, sides);
    }

    /** The log as evidence (see {@link LogMatch#evidenceLog}); null redactor: the job carries no evidence logs. */
    EvidenceLog evidenceLog(LogRecord log, long time) {
        return logMatch.evidenceLog(log, time);
    }
}
