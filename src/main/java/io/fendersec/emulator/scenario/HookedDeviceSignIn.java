package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * An instrumented app signs in: the app finds Frida's threads on a device, and 5 to 20 minutes
 * later that device signs in to an account. Labels: the sequence ({@code hooked-device-sign-in})
 * and the finding itself ({@code frida-instrumentation}).
 */
final class HookedDeviceSignIn extends AttackScenario {
    HookedDeviceSignIn() {
        super("hooked-device-sign-in", 1);
    }

    @Override
    boolean fits(GeneratedApp app) {
        return !app.platform().equals("web");
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(30);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device d = someDevice(inc);
        LogRecord finding = inc.evidence(LogLine.of(d, start).level(LogFields.LEVEL_WARNING).tag("security")
                .source("SecurityMonitor", "report(_:)", 88)
                .text("Anti-instrumentation: thread gum-js-loop found in " + (inc.app.platform().equals("android")
                        ? "/proc/self/task" : "task list")));
        Instant signIn = start.plus(Duration.ofMinutes(5 + inc.r.nextInt(16)));
        inc.evidence(LogLine.of(d, signIn).tag("auth").source("LoginViewModel", "submit()", 97)
                .text("Login succeeded for " + d.user()));
        inc.label(Incident.group("device.udid", d.udid()));
        inc.label("frida-instrumentation", Incident.group("device.udid", d.udid()), List.of(finding));
    }
}
