package io.fendersec.emulator.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import io.fendersec.model.LogRecord;

/**
 * Generates the emulator's data: {@code days} days of benign traffic ending at {@code end},
 * {@code logsPerDay} logs per day in total, shared evenly by the apps, plus what the scenario
 * adds. Deterministic: the same parameters give the same logs, byte for byte (seeded
 * {@link SplittableRandom}s, ordered collections only, no wall clock).
 */
public final class DatasetGenerator {
    private static final String[][] APPS = {
        {"Shop iOS", "ios"}, {"Shop Android", "android"}, {"Shop Web", "web"},
        {"Bank iOS", "ios"}, {"Bank Android", "android"}, {"Bank Web", "web"},
        {"Fitness iOS", "ios"}, {"Fitness Android", "android"}};
    private static final String ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final long seed;
    private final int apps;
    private final Instant start;
    private final Instant end;
    private final long totalLogs;
    private final ArrivalDelays arrivals;
    private final ScenarioInjector scenario;

    public DatasetGenerator(long seed, int apps, int days, Instant end, long logsPerDay, ArrivalDelays arrivals,
            ScenarioInjector scenario) {
        if (apps < 0 || days < 0 || logsPerDay < 0) {
            throw new IllegalArgumentException("apps, days and logs per day must not be negative");
        }
        this.seed = seed;
        this.apps = apps;
        this.end = Objects.requireNonNull(end, "end");
        this.start = end.minus(Duration.ofDays(days));
        this.totalLogs = logsPerDay * days;
        this.arrivals = Objects.requireNonNull(arrivals, "arrivals");
        this.scenario = Objects.requireNonNull(scenario, "scenario");
    }

    /** App ids and names for app {@code index} (0-based) of {@code seed}, as {@link #generate()} makes them. */
    static GeneratedApp app(long seed, int index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(ID_ALPHABET.charAt(r.nextInt(ID_ALPHABET.length())));
        }
        String[] spec = APPS[index % APPS.length];
        String name = index < APPS.length ? spec[0] : spec[0] + " " + (index / APPS.length + 1);
        return new GeneratedApp(id.toString(), name, spec[1]);
    }

    public Dataset generate() {
        List<GeneratedApp> appList = new ArrayList<>();
        Map<String, List<Device>> devices = new LinkedHashMap<>();
        Map<String, List<GeneratedLog>> logs = new LinkedHashMap<>();
        for (int i = 0; i < apps; i++) {
            GeneratedApp app = app(seed, i);
            appList.add(app);
            SplittableRandom r = new SplittableRandom(seed ^ (0xC2B2AE3D27D4EB4FL * (i + 1)));
            long target = totalLogs / apps + (i < totalLogs % apps ? 1 : 0);
            BenignTraffic traffic = new BenignTraffic(app);
            List<Device> ds = traffic.devices(r, (int) Math.max(5, Math.min(5000, target / 150)));
            devices.put(app.id(), ds);
            logs.put(app.id(), benign(r, app, traffic, ds, target));
        }
        ScenarioOutput extra = scenario.inject(new ScenarioContext(new SplittableRandom(seed ^ 0x5CE4A810L), start, end,
                appList, devices, arrivals));
        for (GeneratedLog l : extra.logs()) {
            List<GeneratedLog> appLogs = logs.get(l.appId());
            if (appLogs == null) {
                throw new IllegalStateException("scenario " + scenario.name() + " made a log for unknown app " + l.appId());
            }
            appLogs.add(l);
        }
        for (List<GeneratedLog> appLogs : logs.values()) {
            appLogs.sort(ARRIVAL_ORDER);
        }
        return new Dataset(appList, devices, logs, extra.labels());
    }

    /** Arrival, then device time, absolute_time and uuid: a total order, so sorting is deterministic. */
    static final Comparator<GeneratedLog> ARRIVAL_ORDER = Comparator.comparing(GeneratedLog::arrival)
            .thenComparing(l -> l.record().time())
            .thenComparingLong(l -> l.record().absoluteTime())
            .thenComparing(l -> l.record().uuid());

    private List<GeneratedLog> benign(SplittableRandom r, GeneratedApp app, BenignTraffic traffic, List<Device> ds,
            long target) {
        List<GeneratedLog> out = new ArrayList<>((int) target);
        long range = end.toEpochMilli() - start.toEpochMilli();
        while (out.size() < target && range > 0) {
            Device d = ds.get(r.nextInt(ds.size()));
            Instant sessionStart = start.plusMillis(r.nextLong(range));
            List<LogRecord> session = traffic.session(r, d, sessionStart, end, (int) Math.min(Integer.MAX_VALUE, target - out.size()));
            addWithArrivals(r, app.id(), session, arrivals, out);
        }
        return out;
    }

    /** Assigns arrival times to one session's logs: all at once, hours later, when the device was offline. */
    static void addWithArrivals(SplittableRandom r, String appId, List<LogRecord> session, ArrivalDelays arrivals,
            List<GeneratedLog> out) {
        if (session.isEmpty()) {
            return;
        }
        if (arrivals.sessionOffline(r)) {
            Instant upload = session.get(session.size() - 1).time().plusMillis(arrivals.offlineDelayMillis(r));
            for (LogRecord l : session) {
                out.add(new GeneratedLog(appId, l, upload));
            }
        } else {
            for (LogRecord l : session) {
                out.add(new GeneratedLog(appId, l, l.time().plusMillis(arrivals.promptDelayMillis(r))));
            }
        }
    }
}
