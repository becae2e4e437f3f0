package io.fendersec.job;

import java.util.List;
import java.util.Map;

/** The {@code sinks} section: the raw-log archive (optional) and where alerts go. */
public final class SinksSpec {
    /** Folder of the raw-log archive (JSON lines), or null for no archive. */
    public final String archivePath;
    /**
     * {@code sinks.archive.permissions}: true ({@code private}, the default) when the archive's
     * folders are created owner-only (0700), false ({@code umask}) for the process's defaults.
     */
    public final boolean privateArchive;
    /** Alert sinks in order; empty means the console. */
    public final List<AlertSinkSpec> alerts;

    SinksSpec(String archivePath, boolean privateArchive, List<AlertSinkSpec> alerts) {
        this.archivePath = archivePath;
        this.privateArchive = privateArchive;
        this.alerts = List.copyOf(alerts);
    }

    /** One entry of {@code sinks.alerts}: its type and its settings as written. */
    public static final class AlertSinkSpec {
        public final String type;
        public final Map<String, Object> settings;

        AlertSinkSpec(String type, Map<String, Object> settings) {
            this.type = type;
            this.settings = Map.copyOf(settings);
        }
    }
}
