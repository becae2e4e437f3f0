package io.fendersec.source;

/** How the source reads: a fixed snapshot of a past range, or the snapshot and then the live tail. */
public enum ReadMode {
    /** Each app's range cut into time slices; every slice reads the snapshot fixed at job start, then the job ends. */
    BOUNDED,
    /** One split per app: the snapshot of {@code [from, now)}, then every later arrival, forever. */
    CONTINUOUS
}
