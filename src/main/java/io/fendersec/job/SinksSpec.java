package io.fendersec.job;

import java.util.List;

import io.fendersec.sink.AlertSinkSettings;
import io.fendersec.sink.budget.AlertBudget;

/** The {@code sinks} section: the raw-log archive (optional) and where alerts go. */
public final class SinksSpec {
    /** Folder of the raw-log archive (JSON lines), or null for no archive. */
    public final String archivePath;
    /**
     * {@code sinks.archive.permissions}: true ({@code private}, the default) when the archive's
     * folders are created owner-only (0700), false ({@code umask}) for the process's defaults.
     */
    public final boolean privateArchive;
    /** Alert sinks in the order of {@code sinks.alerts}, one settings record per entry; empty means the console. */
    public final List<AlertSinkSettings> alerts;
    /**
     * {@code sinks.alerts[].evidence}, one per entry of {@link #alerts}: true for {@code logs} (the
     * alert carries its evidence logs' redacted text), false for {@code ids} (the default: uuids only).
     */
    public final List<Boolean> evidenceLogs;
    /** {@code sinks.budget}: alerts per rule, device and period before the rest is rolled up. */
    public final AlertBudget budget;

    SinksSpec(String archivePath, boolean privateArchive, List<AlertSinkSettings> alerts) {
        this(archivePath, privateArchive, alerts, alerts.stream().map(a -> false).toList());
    }

    SinksSpec(String archivePath, boolean privateArchive, List<AlertSinkSettings> alerts, List<Boolean> evidenceLogs) {
        this(archivePath, privateArchive, alerts, evidenceLogs, AlertBudget.DEFAULT);
    }

    SinksSpec(String archivePath, boolean privateArchive, List<AlertSinkSettings> alerts, List<Boolean> evidenceLogs,
            AlertBudget budget) {
        if (evidenceLogs.size() != alerts.size()) {
            throw new IllegalArgumentException("one evidence setting per alert sink");
        }
        this.archivePath = archivePath;
        this.privateArchive = privateArchive;
        this.alerts = List.copyOf(alerts);
        this.evidenceLogs = List.copyOf(evidenceLogs);
        this.budget = budget;
    }

    /** Whether some alert sink asked for {@code evidence: logs}: only then does detection carry log text. */
    public boolean anyEvidenceLogs() {
        return evidenceLogs.contains(true);
    }
}
