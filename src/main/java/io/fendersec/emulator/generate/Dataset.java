package io.fendersec.emulator.generate;

import java.util.List;
import java.util.Map;

/** A generated data set: apps, their devices, their logs in arrival order, and scenario labels. */
public final class Dataset {
    private final List<GeneratedApp> apps;
    private final Map<String, List<Device>> devicesByApp;
    private final Map<String, List<GeneratedLog>> logsByApp;
    private final List<ScenarioLabel> labels;

    Dataset(List<GeneratedApp> apps, Map<String, List<Device>> devicesByApp, Map<String, List<GeneratedLog>> logsByApp,
            List<ScenarioLabel> labels) {
        this.apps = List.copyOf(apps);
        this.devicesByApp = devicesByApp;
        this.logsByApp = logsByApp;
        this.labels = List.copyOf(labels);
    }

    public List<GeneratedApp> apps() {
        return apps;
    }

    public List<Device> devices(String appId) {
        return devicesByApp.getOrDefault(appId, List.of());
    }

    /** The app's logs in arrival order (the order the store assigns arrival sequence numbers). */
    public List<GeneratedLog> logs(String appId) {
        return logsByApp.getOrDefault(appId, List.of());
    }

    public List<ScenarioLabel> labels() {
        return labels;
    }
}
