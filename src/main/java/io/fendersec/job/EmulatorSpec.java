package io.fendersec.job;

import java.time.Instant;

/** {@code source.emulator}: start the built-in emulator in-process and read from it. */
public final class EmulatorSpec {
    public final long seed;
    public final String scenario;
    public final int apps;
    public final int days;
    /** null: the start of the current UTC day. */
    public final Instant end;
    public final int logsPerDay;
    public final double liveRate;
    /** Where to write the scenarios' ground truth, or null. */
    public final String labels;

    EmulatorSpec(long seed, String scenario, int apps, int days, Instant end, int logsPerDay, double liveRate,
            String labels) {
        this.seed = seed;
        this.scenario = scenario;
        this.apps = apps;
        this.days = days;
        this.end = end;
        this.logsPerDay = logsPerDay;
        this.liveRate = liveRate;
        this.labels = labels;
    }
}
