package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * A release breaks attestation: version 5.0.0 ships and runs for hours with the odd transient
 * attestation error (its own baseline), then a configuration change on the backend (a rotated
 * cloud project number, an App Attest environment mismatch) makes every attestation of that
 * version fail for 30 to 45 minutes. The evidence is the failures of that window.
 */
final class AttestationFailureSpike extends AttackScenario {
    static final String VERSION = "5.0.0";

    AttestationFailureSpike() {
        super("attestation-failure-spike", 1);
    }

    @Override
    boolean fits(GeneratedApp app) {
        return !app.platform().equals("web");
    }

    @Override
    Duration length() {
        return Duration.ofHours(9);
    }

    @Override
    void attack(Incident inc, Instant release, int k) {
        boolean android = inc.app.platform().equals("android");
        List<Device> adopters = new ArrayList<>();
        int n = 20 + inc.r.nextInt(11);
        for (int i = 0; i < n; i++) {
            Device old = someDevice(inc);
            adopters.add(inc.traffic.device(inc.r, old.user(), old.timezone(), VERSION, "500"));
        }
        Instant until = release.plus(length());
        for (Device d : adopters) {
            Instant t = release.plusMillis(inc.r.nextLong(Duration.ofHours(1).toMillis()));
            while (t.isBefore(until)) {
                inc.session(d, t, 6 + inc.r.nextInt(12));
                if (inc.r.nextDouble() < 0.3) {
                    inc.noise(line(d, t.plusSeconds(3), android
                            ? "Play Integrity token request failed: IntegrityErrorCode.NETWORK_ERROR (-3), will retry"
                            : "App Attest attestKey failed: DCError.serverUnavailable, will retry"));
                }
                t = t.plus(Duration.ofMinutes(60 + inc.r.nextInt(120)));
            }
        }
        Instant spike = release.plus(Duration.ofMinutes(5 * 60 + inc.r.nextInt(90)));
        long spikeMillis = Duration.ofMinutes(30 + inc.r.nextInt(16)).toMillis();
        for (Device d : adopters) {
            int failures = 1 + inc.r.nextInt(3);
            for (int f = 0; f < failures; f++) {
                Instant t = spike.plusMillis(inc.r.nextLong(spikeMillis));
                inc.evidence(line(d, t, android
                        ? "StandardIntegrityException: IntegrityErrorCode.CLOUD_PROJECT_NUMBER_IS_INVALID (-16)"
                        : "App Attest attestKey failed: DCError.invalidInput (attestation environment mismatch)"));
            }
        }
        inc.label(Incident.group("version.version", VERSION));
    }

    private static LogLine line(Device d, Instant t, String text) {
        return LogLine.of(d, t).level(LogFields.LEVEL_WARNING).tag("security").source("AttestationClient", "attest()", 52)
                .text(text);
    }
}
