package io.fendersec.emulator.generate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** What a scenario may build on: the random branch, the time range, the apps and their devices. */
public final class ScenarioContext {
    private final SplittableRandom random;
    private final Instant start;
    private final Instant end;
    private final List<GeneratedApp> apps;
    private final Map<String, List<Device>> devicesByApp;
    private final ArrivalDelays arrivals;

    public ScenarioContext(SplittableRandom random, Instant start, Instant end, List<GeneratedApp> apps,
            Map<String, List<Device>> devicesByApp, ArrivalDelays arrivals) {
        this.random = random;
        this.start = start;
        this.end = end;
        this.apps = apps;
        this.devicesByApp = devicesByApp;
        this.arrivals = arrivals;
    }

    public SplittableRandom random() {
        return random;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    public List<GeneratedApp> apps() {
        return apps;
    }

    /** Devices by app id (insertion-ordered map; iterate {@link #apps()} for a stable order). */
    public Map<String, List<Device>> devicesByApp() {
        return devicesByApp;
    }

    public ArrivalDelays arrivals() {
        return arrivals;
    }

    /** Benign-traffic building blocks for the given app, e.g. to wrap an attack in normal sessions. */
    public BenignTraffic traffic(GeneratedApp app) {
        return new BenignTraffic(app);
    }
}
