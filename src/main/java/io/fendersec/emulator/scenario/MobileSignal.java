package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * One device signal of the mobile pack (issue 30): a device's app reports what its runtime
 * protection, attestation or network layer found, once to three times within minutes, worded as
 * the SDK or platform API words it. The label is the rule of the scenario's name for that device
 * (or, for the personal-data rules, for the code site that logs it), plus, for each finding that
 * another rule of the pack reports too, that rule's label: written down by hand per finding.
 */
final class MobileSignal extends AttackScenario {
    /** What the app logs, and which other rules of the pack report it (besides the scenario's). */
    record Finding(String text, String kvKey, String kvValue, String url, List<String> also) {
        static Finding of(String text, String... also) {
            return new Finding(text, null, null, null, List.of(also));
        }

        static Finding kv(String key, String value, String... also) {
            return new Finding(key + " = " + value, key, value, null, List.of(also));
        }

        static Finding request(String text, String url, String... also) {
            return new Finding(text, null, null, url, List.of(also));
        }
    }

    /** How an incident's alert is grouped: by device, by code site (version, file, line), or by app version. */
    enum Group { DEVICE, CODE_SITE, VERSION }

    private final Map<String, List<Finding>> byPlatform;
    private final Group grouping;
    private final String file;

    /**
     * @param android findings of an Android app (empty: the scenario does not fit Android apps)
     * @param ios     findings of an iOS app (empty: the scenario does not fit iOS apps)
     * @param file    the source file the app logs them from
     */
    MobileSignal(String name, Group grouping, String file, List<Finding> android, List<Finding> ios) {
        super(name, 1);
        this.grouping = grouping;
        this.file = file;
        this.byPlatform = new LinkedHashMap<>();
        if (!android.isEmpty()) {
            byPlatform.put("android", android);
        }
        if (!ios.isEmpty()) {
            byPlatform.put("ios", ios);
        }
    }

    static MobileSignal device(String name, List<Finding> android, List<Finding> ios) {
        return new MobileSignal(name, Group.DEVICE, "SecurityMonitor", android, ios);
    }

    @Override
    boolean fits(GeneratedApp app) {
        return byPlatform.containsKey(app.platform());
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(20);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        // A device new to the app (the analyst's or fraudster's own, as in app-tampering): a benign
        // user's device would go on signing in afterwards, which hooked-device-sign-in reports.
        Device owner = someDevice(inc);
        Device d = inc.traffic.device(inc.r, owner.user(), owner.timezone());
        List<Finding> findings = byPlatform.getOrDefault(inc.app.platform(), byPlatform.values().iterator().next());
        inc.session(d, start.minusSeconds(5), 8);
        long t = start.toEpochMilli();
        int n = 1 + inc.r.nextInt(Math.min(3, findings.size()) + 1);
        int first = inc.r.nextInt(findings.size());
        Map<String, List<LogRecord>> also = new LinkedHashMap<>();
        int line = 40 + inc.r.nextInt(200);
        for (int i = 0; i < n; i++) {
            t += 2_000 + inc.r.nextInt(3 * 60_000);
            Finding f = findings.get((first + i) % findings.size());
            LogLine l = LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_WARNING).tag("security")
                    .source(file, "report(_:)", line).text(f.text());
            if (f.kvKey() != null) {
                l.keyValue(f.kvKey(), f.kvValue());
            }
            if (f.url() != null) {
                l.url(f.url());
            }
            LogRecord rec = inc.evidence(l);
            for (String rule : f.also()) {
                also.computeIfAbsent(rule, x -> new ArrayList<>()).add(rec);
            }
        }
        if (grouping == Group.VERSION) {
            inc.label(Incident.group("version.version", d.appVersion()));
        } else if (grouping == Group.CODE_SITE) {
            LogRecord one = inc.evidence().get(0);
            inc.label(Incident.group("version.version", d.appVersion(), "file", one.getString(LogFields.FILE), "line",
                    one.getString(LogFields.LINE)));
        } else {
            inc.label(Incident.group("device.udid", d.udid()));
        }
        also.forEach((rule, logs) -> inc.label(rule, Incident.group("device.udid", d.udid()), logs));
    }
}
