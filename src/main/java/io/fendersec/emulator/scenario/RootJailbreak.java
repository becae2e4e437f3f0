package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * The app's integrity checks (RootBeer, IOSSecuritySuite, a RASP SDK) report a rooted, jailbroken
 * or instrumented device at start-up and again on sensitive screens. Every other incident is
 * uploaded hours late (the device was offline, or the tool blocked uploads for a while).
 */
final class RootJailbreak extends AttackScenario {
    // Text, key, value, then the specific rule of the mobile pack (issue 30) that reports the finding
    // too (null: none), labeled for the same device.
    private static final String[][] ANDROID = {
        {"RootBeer: device is rooted (su binary found at /system/xbin/su)", null, null, "android-root-artifacts"},
        {"Magisk detected: package com.topjohnwu.magisk is installed", null, null, "magisk-root"},
        {"Xposed framework detected (de.robv.android.xposed.XposedBridge on stack)", null, null, "xposed-hooking"},
        {"Frida server detected listening on 127.0.0.1:27042", null, null, "frida-instrumentation"},
        {"integrity.root = true", "integrity.root", "true", null},
        {"Debugger attached: Debug.isDebuggerConnected() returned true", null, null, "debugger-attached"},
    };
    private static final String[][] IOS = {
        {"Jailbreak detected: /Applications/Cydia.app exists", null, null, "ios-jailbreak-tools"},
        {"IOSSecuritySuite: amIJailbroken=true (failed checks: suspiciousFiles, restrictedDirectoriesWriteable)", null, null,
            "ios-jailbreak-tools"},
        {"FridaGadget.dylib loaded into process: runtime hooking detected", null, null, "frida-instrumentation"},
        {"MobileSubstrate detected (SubstrateLoader.dylib)", null, null, "ios-runtime-hooking"},
        {"is_jailbroken = yes", "is_jailbroken", "yes", null},
        {"Debugger attached (P_TRACED set); exiting secure flow", null, null, "debugger-attached"},
    };

    RootJailbreak() {
        super("root-jailbreak", 3);
    }

    @Override
    boolean fits(GeneratedApp app) {
        return !app.platform().equals("web");
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(40);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device d = someDevice(inc);
        String[][] findings = inc.app.platform().equals("android") ? ANDROID : IOS;
        inc.session(d, start.minusSeconds(5), 10);
        long t = start.toEpochMilli();
        int checks = 2 + inc.r.nextInt(3);
        int first = inc.r.nextInt(findings.length);
        java.util.Map<String, java.util.List<io.fendersec.model.LogRecord>> also = new java.util.LinkedHashMap<>();
        for (int i = 0; i < checks; i++) {
            t += 2_000 + inc.r.nextInt(8 * 60_000);
            String[] f = findings[(first + i % 2) % findings.length];
            LogLine l = LogLine.of(d, Instant.ofEpochMilli(t)).level(i == 0 ? LogFields.LEVEL_WARNING : LogFields.LEVEL_ERROR)
                    .tag("security").source("IntegrityChecker", "runChecks()", 71 + 6 * (first % 3)).text(f[0]);
            if (f[1] != null) {
                l.keyValue(f[1], f[2]);
            }
            io.fendersec.model.LogRecord rec = inc.evidence(l);
            if (f[3] != null) {
                also.computeIfAbsent(f[3], x -> new java.util.ArrayList<>()).add(rec);
            }
        }
        if (k % 2 == 1) {
            inc.evidenceArrivesLate(Duration.ofHours(2 + inc.r.nextInt(5)));
        }
        inc.label(Incident.group("device.udid", d.udid()));
        also.forEach((rule, logs) -> inc.label(rule, Incident.group("device.udid", d.udid()), logs));
    }
}
