package io.fendersec.emulator.store;

import java.util.Locale;

/**
 * Which snapshot pages carry a {@code previous} link: the two honest readings of the paging docs
 * (docs/bugfender-api.md, "Open question: previous on older snapshot pages"). Nobody here can check
 * the real service, so the emulator serves either and the source is tested against both.
 */
public enum PagingLinks {
    /** Every snapshot page links {@code previous} to the next newer page; the newest one to the tail. */
    ALL,
    /** Only the answer that fixed the snapshot (no cursor) carries {@code previous} (the tail); older pages link by {@code next} alone. */
    FIRST;

    /** {@code all} or {@code first}, as the emulator's {@code --paging-links} option takes it. */
    public static PagingLinks parse(String s) {
        for (PagingLinks p : values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("paging links must be 'all' or 'first', got '" + s + "'");
    }

    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }
}
