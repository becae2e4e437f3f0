package io.fendersec.cli;

import java.nio.file.Path;

import io.fendersec.error.ConfigException;
import io.fendersec.job.JobSpecReader;
import io.fendersec.job.SourceSpec;

/** The {@code source} section of a job spec, for commands that only talk to Bugfender. */
final class SourceOnly {
    private SourceOnly() {}

    static SourceSpec read(Path job, String command) {
        SourceSpec source = new JobSpecReader().read(job).source;
        if (source.archive != null) {
            throw new ConfigException("source.type: `fendersec " + command + "` talks to a Bugfender service; this job"
                    + " reads a raw-log archive (source.type: archive)");
        }
        if (source.client == null) {
            throw new ConfigException("source.emulator: `fendersec " + command + "` talks to a Bugfender service;"
                    + " give source.url and source.auth instead of source.emulator");
        }
        return source;
    }
}
