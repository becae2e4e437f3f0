package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.BenignTraffic;
import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.emulator.generate.ScenarioContext;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;

/**
 * One attack being written: its evidence logs, the ordinary logs around it, when they reach the
 * server, and the labels (expected alerts) it yields. Scenarios describe the attack; this class
 * keeps the bookkeeping (uuids, spans, arrivals) in one place.
 */
final class Incident {
    final ScenarioContext ctx;
    final SplittableRandom r;
    final String scenario;
    final GeneratedApp app;
    final BenignTraffic traffic;
    private final List<LogRecord> evidence = new ArrayList<>();
    private final List<LogRecord> noise = new ArrayList<>();
    private final List<ScenarioLabel> labels = new ArrayList<>();
    private Duration evidenceDelay;

    Incident(ScenarioContext ctx, SplittableRandom r, String scenario, GeneratedApp app) {
        this.ctx = ctx;
        this.r = r;
        this.scenario = scenario;
        this.app = app;
        this.traffic = ctx.traffic(app);
    }

    /** Adds an evidence log: part of the attack, listed in the label. */
    LogRecord evidence(LogLine line) {
        LogRecord rec = line.build(app, r);
        evidence.add(rec);
        return rec;
    }

    /** Adds an ordinary log written around the attack (not evidence). */
    LogRecord noise(LogLine line) {
        LogRecord rec = line.build(app, r);
        noise.add(rec);
        return rec;
    }

    /** An ordinary session of {@code d} starting at {@code start}: the traffic an attack hides in. */
    void session(Device d, Instant start, int maxLogs) {
        noise.addAll(traffic.session(r, d, start, ctx.end(), maxLogs));
    }

    /** Ordinary sessions of {@code count} of the app's devices, starting within {@code spread} of {@code around}. */
    void backgroundSessions(Instant around, Duration spread, int count) {
        List<Device> ds = ctx.devicesByApp().get(app.id());
        for (int i = 0; i < count && !ds.isEmpty(); i++) {
            session(ds.get(r.nextInt(ds.size())), around.plusMillis(r.nextLong(Math.max(1, spread.toMillis()))),
                    5 + r.nextInt(20));
        }
    }

    /** The evidence reaches the server this much after its last log (a device that was offline). */
    void evidenceArrivesLate(Duration delay) {
        this.evidenceDelay = delay;
    }

    List<LogRecord> evidence() {
        return List.copyOf(evidence);
    }

    /** A label for rule {@code ruleId} and {@code group}, over the given evidence logs. */
    void label(String ruleId, Map<String, String> group, List<LogRecord> logs) {
        Instant start = logs.stream().map(LogRecord::time).min(Comparator.naturalOrder()).orElseThrow();
        Instant end = logs.stream().map(LogRecord::time).max(Comparator.naturalOrder()).orElseThrow();
        labels.add(new ScenarioLabel(scenario, ruleId, app.id(), group, start, end,
                logs.stream().map(LogRecord::uuid).toList()));
    }

    /** Group values in the order given (labels files are byte-for-byte reproducible; Map.of is not ordered). */
    static Map<String, String> group(String... kv) {
        Map<String, String> g = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            g.put(kv[i], kv[i + 1]);
        }
        return g;
    }

    /** The usual label: the scenario's own rule over all evidence. */
    void label(Map<String, String> group) {
        label(scenario, group, evidence);
    }

    /**
     * Hands the logs over with arrival times. Logs after the range end are dropped (an attack
     * placed near the end must not leak past it), and so are labels left without evidence.
     */
    void emit(List<GeneratedLog> out, List<ScenarioLabel> labelsOut) {
        Instant last = evidence.stream().map(LogRecord::time).max(Comparator.naturalOrder()).orElse(ctx.start());
        for (LogRecord l : evidence) {
            if (inRange(l)) {
                Instant arrival = evidenceDelay != null ? last.plus(evidenceDelay)
                        : l.time().plusMillis(ctx.arrivals().promptDelayMillis(r));
                out.add(new GeneratedLog(app.id(), l, arrival));
            }
        }
        for (LogRecord l : noise) {
            if (inRange(l)) {
                out.add(new GeneratedLog(app.id(), l, l.time().plusMillis(ctx.arrivals().promptDelayMillis(r))));
            }
        }
        for (ScenarioLabel l : labels) {
            if (!l.end().isBefore(ctx.end())) {
                throw new IllegalStateException(scenario + " placed evidence past the end of the range");
            }
            labelsOut.add(l);
        }
    }

    private boolean inRange(LogRecord l) {
        return !l.time().isBefore(ctx.start()) && l.time().isBefore(ctx.end());
    }
}
