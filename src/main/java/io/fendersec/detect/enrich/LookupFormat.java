package io.fendersec.detect.enrich;

import java.util.Locale;

/** How a lookup file is written: {@code csv} (with a header row) or {@code jsonl} (one object per line). */
public enum LookupFormat {
    CSV, JSONL;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a file name implies ({@code .csv}, {@code .jsonl}/{@code .ndjson}/{@code .json}), or null. */
    public static LookupFormat ofFileName(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        if (f.endsWith(".csv")) {
            return CSV;
        }
        if (f.endsWith(".jsonl") || f.endsWith(".ndjson") || f.endsWith(".json")) {
            return JSONL;
        }
        return null;
    }

    public static LookupFormat ofSpec(String s) {
        for (LookupFormat f : values()) {
            if (f.specName().equals(s)) {
                return f;
            }
        }
        return null;
    }
}
