package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * A repackaged app (resigned with another certificate, modified bytecode, sideloaded) whose
 * integrity checks fail: signature or certificate mismatch, checksum mismatch, Play Integrity /
 * App Attest verdicts. The device is new to the app and runs an odd build. The second incident
 * is uploaded hours late.
 */
final class AppTampering extends AttackScenario {
    // Text, key, value, then the specific rule of the mobile pack (issue 30) that reports the finding
    // too (null: none), labeled for the same device.
    private static final String[][] FINDINGS = {
        {"Signature mismatch: expected SHA-256 3F:2A:9C:..:E1, found 9C:11:0B:..:42 (app resigned)", null, null,
            "signing-certificate-mismatch"},
        {"APK signature verification failed; app may be repackaged", null, null, null},
        {"Play Integrity verdict: appRecognitionVerdict=UNRECOGNIZED_VERSION", null, null, "play-integrity-unrecognized-app"},
        {"Integrity check failed: classes.dex checksum mismatch", null, null, "code-integrity-failure"},
        {"App Attest assertion rejected by server: invalid app identifier", null, null, "app-attest-failure"},
        {"Code signature invalid: team identifier does not match the release certificate", null, null,
            "signing-certificate-mismatch"},
        {"app_integrity = tampered", "app_integrity", "tampered", null},
        {"Installer is not a trusted store (installer=null), tamper check failed", null, null, "untrusted-installer"},
    };

    AppTampering() {
        super("app-tampering", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(30);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device real = someDevice(inc);
        Device d = inc.traffic.device(inc.r, "guest@example.com", real.timezone(), real.appVersion(), real.build() + "-mod");
        long t = start.toEpochMilli();
        inc.noise(LogLine.of(d, start).tag("lifecycle").source("AppDelegate", "application(_:didFinishLaunching:)", 42)
                .text("App started, version " + d.appVersion() + " (" + d.build() + ")"));
        int checks = 2 + inc.r.nextInt(3);
        int first = inc.r.nextInt(FINDINGS.length);
        java.util.Map<String, java.util.List<io.fendersec.model.LogRecord>> also = new java.util.LinkedHashMap<>();
        for (int i = 0; i < checks; i++) {
            t += 1_000 + inc.r.nextInt(5 * 60_000);
            String[] f = FINDINGS[(first + i) % FINDINGS.length];
            LogLine l = LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_ERROR).tag("security")
                    .source("TamperGuard", "verify()", 30 + 4 * i).text(f[0]);
            if (f[1] != null) {
                l.keyValue(f[1], f[2]);
            }
            io.fendersec.model.LogRecord rec = inc.evidence(l);
            if (f[3] != null) {
                also.computeIfAbsent(f[3], x -> new java.util.ArrayList<>()).add(rec);
            }
        }
        if (k % 2 == 1) {
            inc.evidenceArrivesLate(Duration.ofHours(1 + inc.r.nextInt(6)));
        }
        inc.label(Incident.group("device.udid", d.udid()));
        also.forEach((rule, logs) -> inc.label(rule, Incident.group("device.udid", d.udid()), logs));
    }
}
