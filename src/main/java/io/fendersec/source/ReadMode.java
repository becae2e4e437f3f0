package io.fendersec.source;

import java.util.Locale;

import io.fendersec.error.ConfigException;

/** How the source reads: a fixed snapshot of a past range, or the snapshot and then the live tail. */
public enum ReadMode {
    /** Each app's range cut into time slices; every slice reads the snapshot fixed at job start, then the job ends. */
    BOUNDED,
    /** One split per app: the snapshot of {@code [from, now)}, then every later arrival, forever. */
    CONTINUOUS;

    /** Parses the job-spec value of {@code source.mode}. */
    public static ReadMode parse(String text) {
        if (text != null) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "bounded":
                    return BOUNDED;
                case "continuous":
                    return CONTINUOUS;
                default:
                    break;
            }
        }
        throw new ConfigException("source.mode: expected bounded or continuous, got " + text);
    }
}
