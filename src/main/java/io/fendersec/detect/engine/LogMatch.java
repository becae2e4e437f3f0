package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.util.Collector;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.normalize.SecretRedactor;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.LogRecord;

/**
 * What the match operators do with one log ({@link MatchFunction} with fixed rules,
 * {@link LiveMatchFunction} with rules that change while the job runs): judge lateness, normalize,
 * match, hand out the hits and the side outputs.
 */
final class LogMatch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a log goes besides its hits. */
    interface Sides {
        /** A log too late for correlations: count it and send it to the side output. */
        void tooLate(LogRecord log);

        void normalized(NormalizedLog log);
    }

    /** Replaced by a live operator when its lookup tables change ({@link #normalizer(Normalizer)}). */
    private Normalizer normalizer;
    private final long allowedLateness;
    private final boolean emitNormalized;
    /** Redacts evidence text when a sink asked for evidence logs, else null. */
    private final SecretRedactor redactor;
    /**
     * Whether the logs come from the arrival lane, re-timed ({@link ArrivalLane}): their own rules
     * ran when they first came, so they count for correlations only, and one still too late is
     * not sent to the side output again (the archive has it).
     */
    private final boolean retimed;
    private transient List<GroupHits> buffer;

    LogMatch(Normalizer normalizer, DetectionSettings settings, boolean emitNormalized) {
        this(normalizer, settings, emitNormalized, false);
    }

    LogMatch(Normalizer normalizer, DetectionSettings settings, boolean emitNormalized, boolean retimed) {
        this.retimed = retimed;
        this.normalizer = normalizer;
        this.allowedLateness = settings.allowedLateness().toMillis();
        this.emitNormalized = emitNormalized;
        this.redactor = settings.evidenceLogs() ? SecretRedactor.of(normalizer) : null;
    }

    /** Matches the next logs with {@code n} (a live operator's changed lookup tables); the task thread only. */
    void normalizer(Normalizer n) {
        this.normalizer = n;
    }

    /**
     * @param ts the record's timestamp, or null
     * @param wm the operator's current watermark
     */
    void process(RuleMatcher matcher, LogRecord log, Long ts, long wm, Collector<GroupHits> out, Sides sides) {
        if (buffer == null) {
            buffer = new ArrayList<>();
        }
        boolean timed = ts != null || log.time() != null;
        long t = ts != null ? ts : (log.time() != null ? log.time().toEpochMilli() : 0L);
        boolean late = !timed || (wm > Long.MIN_VALUE + allowedLateness && t < wm - allowedLateness);
        if (retimed) {
            if (late) {
                return; // the lane's clock estimate was not enough: nothing to count it for
            }
        } else if (late) {
            sides.tooLate(log);
        }
        buffer.clear();
        NormalizedLog normalized = normalizer.normalize(log);
        // The source bounds event time by the fetch (source.max-clock-skew): a claim past it is a signal.
        matcher.match(DeviceClock.judge(normalized, t), t, !late, !retimed, buffer);
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
        if (emitNormalized && !retimed) {
            // after matching: a chained reader extracts only the fields the rules did not read
            sides.normalized(normalized);
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
