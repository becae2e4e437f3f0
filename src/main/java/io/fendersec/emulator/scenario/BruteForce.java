package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fendersec.emulator.generate.Device;
import io.fendersec.model.LogRecord;

/**
 * Password guessing against one account from one device: 25 to 60 failed sign-ins within a few
 * minutes (a scripted client retrying a password list), far above the 10 failures in 5 minutes a
 * practitioner alerts on. The second incident's device was offline for a while: its logs arrive
 * 20 to 50 minutes late, still within the job's allowed lateness.
 */
final class BruteForce extends AttackScenario {
    BruteForce() {
        super("brute-force", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(30);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device attacker = inc.traffic.device(inc.r, "guest@example.com", pick(inc.r, "Europe/Berlin", "America/New_York"));
        String victim = someDevice(inc).user();
        inc.backgroundSessions(start.minus(Duration.ofMinutes(10)), Duration.ofMinutes(30), 6);
        List<LogRecord> failures = guess(inc, attacker, victim, start, 25 + inc.r.nextInt(36), Duration.ofMinutes(3 + inc.r.nextInt(5)));
        if (k % 2 == 1) {
            inc.evidenceArrivesLate(Duration.ofMinutes(20 + inc.r.nextInt(30)));
        }
        inc.label("brute-force", Incident.group("device.udid", attacker.udid(), "user.name", victim), failures);
    }

    /** {@code attempts} failed sign-ins of {@code victim} spread over {@code over}; returns the evidence. */
    static List<LogRecord> guess(Incident inc, Device attacker, String victim, Instant start, int attempts, Duration over) {
        Logins logins = Logins.style(inc.r, inc.traffic.apiHost());
        long step = over.toMillis() / attempts;
        long t = start.toEpochMilli();
        List<LogRecord> out = new java.util.ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            t += jitter(inc.r, step);
            Instant at = Instant.ofEpochMilli(t);
            if (inc.r.nextBoolean()) {
                out.add(inc.evidence(logins.request(attacker, at.minusMillis(150), 401, inc.r)));
            }
            out.add(inc.evidence(logins.failure(attacker, at, victim)));
        }
        return out;
    }
}
