package io.fendersec.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.fendersec.error.TerminalText;
import io.fendersec.model.Alert;
import io.fendersec.model.EvidenceLog;

/**
 * What the page shows when an alert is opened: its evidence logs, its device's timeline around it,
 * and links to the Bugfender dashboard. The timeline comes from the job's raw-log archive when
 * there is one ({@link ArchiveTimeline}), else from the alert's own {@code evidence_logs}.
 *
 * <p>Every text shown passes the secret redaction (the archive holds secrets raw; evidence logs
 * are redacted by the job, again here in case the job was older or configured otherwise), is cut
 * to {@link EvidenceLog#MAX_TEXT}, and has its control and bidi characters made visible
 * ({@link TerminalText#line}), so that a log cannot reorder what the page shows around it.
 */
public record AlertDetails(String timelineSource, Map<String, Detail> alerts) {
    /** How far before the first and after the last evidence the timeline reaches. */
    static final Duration AROUND = Duration.ofMinutes(15);
    /** At most this many timeline lines per alert: the evidence, then the logs nearest to it. */
    static final int TIMELINE_MAX = 80;

    /** Where a timeline came from. */
    public static final String FROM_ARCHIVE = "archive";
    public static final String FROM_EVIDENCE = "evidence_logs";

    /** One log line as shown; {@code link} to the dashboard or null; {@code evidence} when it is the alert's evidence. */
    public record Line(String time, String device, String level, String text, String uuid, String link,
                       boolean evidence) {}

    /** One alert opened: device (and its dashboard link), evidence, timeline (and where it came from). */
    public record Detail(String device, String deviceLink, List<Line> evidence, List<Line> timeline,
                         String timelineFrom) {}

    /** Nothing to show beyond the table (no evidence logs, no archive). */
    public static AlertDetails none() {
        return new AlertDetails(FROM_EVIDENCE, Map.of());
    }

    /**
     * @param archive  the job's archive read for the alerts' devices, or null
     * @param redact   the secret redaction applied to every text
     * @param links    the dashboard link template, or null for no links
     */
    public static AlertDetails of(List<Alert> read, ArchiveTimeline archive, UnaryOperator<String> redact,
                                  DashboardLinks links) {
        Map<String, Detail> out = new LinkedHashMap<>();
        for (Alert a : AlertReport.latestPerId(read)) {
            String device = deviceOf(a);
            Set<String> evidenceIds = new HashSet<>(a.evidence());
            List<Line> evidence = new ArrayList<>();
            for (EvidenceLog l : a.evidenceLogs()) {
                evidence.add(line(a, l, true, redact, links));
            }
            List<Line> timeline;
            String from;
            if (archive != null && device != null) {
                from = FROM_ARCHIVE;
                timeline = new ArrayList<>();
                for (EvidenceLog l : archive.around(a.app(), device, a.firstSeen().minus(AROUND),
                        a.lastSeen().plus(AROUND), a.evidence(), TIMELINE_MAX)) {
                    timeline.add(line(a, l, evidenceIds.contains(l.uuid()), redact, links));
                }
                if (evidence.isEmpty()) {
                    // evidence: ids: the archive still has the evidence logs' text
                    timeline.stream().filter(Line::evidence).forEach(evidence::add);
                }
            } else {
                from = FROM_EVIDENCE;
                timeline = new ArrayList<>(evidence);
                timeline.sort(Comparator.comparing(Line::time));
            }
            String deviceLink = links == null || device == null ? null : links.device(a.app(), device);
            out.put(a.alertId(), new Detail(device == null ? null : TerminalText.line(device), deviceLink,
                    List.copyOf(evidence), List.copyOf(timeline), from));
        }
        return new AlertDetails(archive != null ? FROM_ARCHIVE : FROM_EVIDENCE, out);
    }

    /** The alert's device, else the one device all its evidence logs share, else null. */
    public static String deviceOf(Alert a) {
        if (a.device() != null) {
            return a.device();
        }
        Set<String> devices = new LinkedHashSet<>();
        a.evidenceLogs().forEach(l -> devices.add(l.device()));
        return devices.size() == 1 ? devices.iterator().next() : null;
    }

    private static Line line(Alert a, EvidenceLog l, boolean evidence, UnaryOperator<String> redact,
                             DashboardLinks links) {
        String text = TerminalText.line(EvidenceLog.cap(redact.apply(l.text()), EvidenceLog.MAX_TEXT));
        String link = links == null || l.uuid() == null ? null : links.log(a.app(), l.device(), l.uuid());
        return new Line(l.time().toString(), l.device() == null ? null : TerminalText.line(l.device()),
                l.level(), text, l.uuid(), link, evidence);
    }
}
