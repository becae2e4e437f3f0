package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * Someone guesses the step-up code of a transfer on one device: 6 to 12 wrong one-time codes
 * within about six minutes (the app's lockout is missing or bypassed).
 */
final class OtpBruteForce extends AttackScenario {
    OtpBruteForce() {
        super("otp-brute-force", 1);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(20);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device d = someDevice(inc);
        inc.session(d, start.minusSeconds(60), 6);
        int n = 6 + inc.r.nextInt(7);
        long t = start.toEpochMilli();
        for (int i = 0; i < n; i++) {
            t += jitter(inc.r, 40_000);
            inc.evidence(LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_WARNING).tag("security")
                    .source("StepUpViewModel", "verify(code:)", 57)
                    .text(pick(inc.r, "Step-up: OTP verification failed (code mismatch)",
                            "Step-up: one-time code rejected by server (invalid)")));
        }
        inc.label(Incident.group("device.udid", d.udid()));
    }
}
