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
    private static final String[][] ANDROID = {
        {"RootBeer: device is rooted (su binary found at /system/xbin/su)", null, null},
        {"Magisk detected: package com.topjohnwu.magisk is installed", null, null},
        {"Xposed framework detected (de.robv.android.xposed.XposedBridge on stack)", null, null},
        {"Frida server detected listening on 127.0.0.1:27042", null, null},
        {"integrity.root = true", "integrity.root", "true"},
        {"Debugger attached: Debug.isDebuggerConnected() returned true", null, null},
    };
    private static final String[][] IOS = {
        {"Jailbreak detected: /Applications/Cydia.app exists", null, null},
        {"IOSSecuritySuite: amIJailbroken=true (failed checks: suspiciousFiles, restrictedDirectoriesWriteable)", null, null},
        {"FridaGadget.dylib loaded into process: runtime hooking detected", null, null},
        {"MobileSubstrate detected (SubstrateLoader.dylib)", null, null},
        {"is_jailbroken = yes", "is_jailbroken", "yes"},
        {"Debugger attached (P_TRACED set); exiting secure flow", null, null},
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
        for (int i = 0; i < checks; i++) {
            t += 2_000 + inc.r.nextInt(8 * 60_000);
            String[] f = findings[(first + i % 2) % findings.length];
            LogLine l = LogLine.of(d, Instant.ofEpochMilli(t)).level(i == 0 ? LogFields.LEVEL_WARNING : LogFields.LEVEL_ERROR)
                    .tag("security").source("IntegrityChecker", "runChecks()", 71 + 6 * (first % 3)).text(f[0]);
            if (f[1] != null) {
                l.keyValue(f[1], f[2]);
            }
            inc.evidence(l);
        }
        if (k % 2 == 1) {
            inc.evidenceArrivesLate(Duration.ofHours(2 + inc.r.nextInt(5)));
        }
        inc.label(Incident.group("device.udid", d.udid()));
    }
}
