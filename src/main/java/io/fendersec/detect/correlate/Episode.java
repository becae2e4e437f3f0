package io.fendersec.detect.correlate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.fendersec.model.EvidenceLog;

/**
 * One attack as the alert tells it: opened by the first match for a rule and group, extended by
 * later matches until none comes for the suppression period. {@code start} (the first match's
 * time) fixes the alert id.
 *
 * @param evidence the log uuids behind it, at most the evidence cap; kept as an {@link Evidence}, an
 *                 immutable list that grows without copying
 * @param device   the one device behind every match so far, null when none or several
 * @param logs     the evidence logs' text (a subset of {@code evidence}, one per uuid), empty unless
 *                 a sink asked for evidence logs
 */
public record Episode(long start, long lastMatch, long windowStart, long windowEnd, long firstSeen, long lastSeen,
                      long count, List<String> evidence, String device, boolean mixedDevices,
                      List<EvidenceLog> logs) {
    public Episode {
        evidence = Evidence.of(evidence);
        logs = List.copyOf(logs);
    }

    public Episode(long start, long lastMatch, long windowStart, long windowEnd, long firstSeen, long lastSeen,
                   long count, List<String> evidence, String device, boolean mixedDevices) {
        this(start, lastMatch, windowStart, windowEnd, firstSeen, lastSeen, count, evidence, device, mixedDevices,
                List.of());
    }

    public static Episode open(WindowMatch m) {
        return new Episode(m.end(), m.end(), m.windowStart(), m.end(), m.firstSeen(), m.lastSeen(), m.count(),
                m.evidence(), m.device(), m.mixedDevices(), m.logs());
    }

    /** Whether a match at {@code t} belongs to this episode under {@code suppression}. */
    public boolean covers(long t, long suppression) {
        return t >= start - suppression && t <= lastMatch + suppression;
    }

    /** This episode grown by {@code m}; {@code additive} counts matches (single-event rules) instead of taking the max. */
    public Episode extend(WindowMatch m, boolean additive, int evidenceCap) {
        // Full evidence takes nothing more: then the match's evidence is not even collected.
        List<String> ev = evidence.size() >= evidenceCap ? evidence
                : joined(Evidence.of(evidence), m.evidence(), evidenceCap);
        // Once mixed, always mixed: then the match's devices do not matter.
        boolean mixed = mixedDevices || m.mixedDevices() || !Objects.equals(device, m.device()) && device != null
                && m.device() != null;
        String dev = mixed ? null : (device != null ? device : m.device());
        // Logs follow the evidence: a match's logs for the uuids it added (only when logs are carried).
        List<EvidenceLog> lg = ev == evidence || m.logs().isEmpty() ? logs : joinedLogs(logs, m.logs(), ev);
        return new Episode(start, Math.max(lastMatch, m.end()), windowStart, Math.max(windowEnd, m.end()),
                Math.min(firstSeen, m.firstSeen()), Math.max(lastSeen, m.lastSeen()),
                additive ? count + m.count() : Math.max(count, m.count()), ev, dev, mixed, lg);
    }

    /** {@code logs} followed by those of {@code more} whose uuid {@code evidence} holds and {@code logs} lacks. */
    private static List<EvidenceLog> joinedLogs(List<EvidenceLog> logs, List<EvidenceLog> more, List<String> evidence) {
        List<EvidenceLog> out = new ArrayList<>(logs);
        Set<String> taken = new HashSet<>();
        for (EvidenceLog l : logs) {
            taken.add(l.uuid());
        }
        for (EvidenceLog l : more) {
            if (out.size() < evidence.size() && evidence.contains(l.uuid()) && taken.add(l.uuid())) {
                out.add(l);
            }
        }
        return out;
    }

    /** {@code evidence} followed by the uuids of {@code more} it lacks, while it holds fewer than {@code cap}. */
    private static Evidence joined(Evidence evidence, List<String> more, int cap) {
        Evidence out = evidence;
        for (String u : more) {
            if (out.size() >= cap) {
                break;
            }
            if (!out.contains(u)) {
                out = out.plus(u);
            }
        }
        return out;
    }
}
