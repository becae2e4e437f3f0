package io.fendersec.job;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.api.ClientSettings;
import io.fendersec.job.spec.TimeExpression;
import io.fendersec.source.SourceSettings;
import io.fendersec.source.archive.ArchiveSettings;

/**
 * The {@code source} section: where to read ({@code client}, or the embedded {@code emulator}),
 * the range as written, and how to read ({@link SourceSettings}, the source's own model). The
 * range stays unresolved here: {@code -24h} means 24 hours before the job starts, and without
 * {@code from} the embedded emulator's data start is only known once it runs.
 */
public final class SourceSpec {
    /** Without {@code source.from} (and without the emulator, which knows its data's start): this long before now. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(24);

    /** Null when the job reads from the embedded emulator, which supplies its own URL and account. */
    public final ClientSettings client;
    /** As written; null when absent (see {@link #resolveFrom}). */
    public final TimeExpression from;
    /** As written; null when absent. A continuous read has none. */
    public final TimeExpression to;
    public final SourceSettings settings;
    public final EmulatorSpec emulator;
    /** {@code source.type: archive}: the raw-log archive to hunt in, instead of the API; else null. */
    public final ArchiveSettings archive;

    SourceSpec(ClientSettings client, TimeExpression from, TimeExpression to, SourceSettings settings,
            EmulatorSpec emulator) {
        this(client, from, to, settings, emulator, null);
    }

    SourceSpec(ClientSettings client, TimeExpression from, TimeExpression to, SourceSettings settings,
            EmulatorSpec emulator, ArchiveSettings archive) {
        this.client = client;
        this.from = from;
        this.to = to;
        this.settings = settings;
        this.emulator = emulator;
        this.archive = archive;
    }

    /** The range start: as written, else {@code fallback} ({@link #DEFAULT_LOOKBACK} ago, or the emulator's data start). */
    public Instant resolveFrom(Instant now, Instant fallback) {
        return from != null ? from.resolve(now) : fallback;
    }

    /** The range end of a bounded read: as written, else {@code fallback}; null for a continuous read. */
    public Instant resolveTo(Instant now, Instant fallback) {
        if (!settings.bounded()) {
            return null;
        }
        return to != null ? to.resolve(now) : fallback;
    }
}
