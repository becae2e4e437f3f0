package io.fendersec.emulator.generate;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;

/**
 * A scenario that can only happen while the emulator runs: its logs are dated relative to the
 * moment they arrive (e.g. a device clock days ahead of its upload), which a data set generated
 * for a closed past range cannot hold. The emulator plans it once at start, so its labels are
 * known (and written) before its logs arrive; {@link LiveTraffic} delivers the uploads when due.
 */
public interface LiveScenario {
    /** The name {@code --scenario} selects it by. */
    String name();

    /** The uploads and labels of this scenario for an emulator started at {@code now}. */
    Plan plan(Dataset dataset, SplittableRandom random, Instant now);

    /** Logs of one app arriving together at {@code at}. */
    record Upload(Instant at, String appId, List<LogRecord> logs) {
        public Upload {
            logs = List.copyOf(logs);
        }
    }

    /** What a live scenario will upload, and the alerts it expects. */
    record Plan(List<Upload> uploads, List<ScenarioLabel> labels) {
        public Plan {
            uploads = List.copyOf(uploads);
            labels = List.copyOf(labels);
        }

        public static Plan empty() {
            return new Plan(List.of(), List.of());
        }
    }
}
