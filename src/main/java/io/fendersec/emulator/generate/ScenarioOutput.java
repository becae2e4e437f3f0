package io.fendersec.emulator.generate;

import java.util.List;

/** The logs a scenario adds, with their arrival times, and its ground truth. */
public final class ScenarioOutput {
    private final List<GeneratedLog> logs;
    private final List<ScenarioLabel> labels;

    public ScenarioOutput(List<GeneratedLog> logs, List<ScenarioLabel> labels) {
        this.logs = List.copyOf(logs);
        this.labels = List.copyOf(labels);
    }

    public static ScenarioOutput empty() {
        return new ScenarioOutput(List.of(), List.of());
    }

    public List<GeneratedLog> logs() {
        return logs;
    }

    public List<ScenarioLabel> labels() {
        return labels;
    }
}
