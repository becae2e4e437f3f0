package io.fendersec.detect.enrich;

import java.util.Locale;

/**
 * How a lookup's key column is compared with the log's key field: {@code exact} (case-insensitive,
 * as Sigma compares values) or {@code cidr} (the column holds networks such as {@code 10.0.0.0/8}
 * or single addresses; the longest prefix containing the log's IP wins).
 */
public enum KeyMatch {
    EXACT, CIDR;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyMatch ofSpec(String s) {
        for (KeyMatch m : values()) {
            if (m.specName().equals(s)) {
                return m;
            }
        }
        return null;
    }
}
