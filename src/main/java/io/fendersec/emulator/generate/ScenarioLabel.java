package io.fendersec.emulator.generate;

import java.util.List;

/** Ground truth: the logs (by uuid) that make up one incident a detection rule should find. */
public final class ScenarioLabel {
    private final String scenario;
    private final String appId;
    private final String description;
    private final List<String> logUuids;

    public ScenarioLabel(String scenario, String appId, String description, List<String> logUuids) {
        this.scenario = scenario;
        this.appId = appId;
        this.description = description;
        this.logUuids = List.copyOf(logUuids);
    }

    public String scenario() {
        return scenario;
    }

    public String appId() {
        return appId;
    }

    public String description() {
        return description;
    }

    public List<String> logUuids() {
        return logUuids;
    }
}
