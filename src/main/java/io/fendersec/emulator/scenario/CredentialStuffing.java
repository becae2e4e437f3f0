package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import io.fendersec.emulator.generate.Device;

/**
 * Leaked e-mail/password pairs replayed from one device: 20 to 40 different accounts, each tried
 * once (a few twice), within about ten minutes, often from an emulator. One pair may work.
 */
final class CredentialStuffing extends AttackScenario {
    private static final String[] FIRST = {"john", "maria", "li", "ahmed", "olga", "peter", "sara", "tom", "yuki", "carlos",
        "emma", "noah", "mia", "lucas", "zoe", "ivan", "nina", "omar", "lena", "raj"};
    private static final String[] DOMAINS = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "mail.ru", "gmx.de"};
    private static final String[] EMULATOR_MODELS = {"sdk_gphone64_x86_64", "Android SDK built for x86", "Genymotion Pixel 3"};

    CredentialStuffing() {
        super("credential-stuffing", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(30);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device attacker = inc.traffic.device(inc.r, "guest@example.com", "America/Los_Angeles");
        inc.backgroundSessions(start.minus(Duration.ofMinutes(10)), Duration.ofMinutes(30), 6);
        Logins logins = Logins.style(inc.r, inc.traffic.apiHost());
        int accounts = 20 + inc.r.nextInt(21);
        Set<String> users = new LinkedHashSet<>();
        while (users.size() < accounts) {
            users.add(pick(inc.r, FIRST) + (inc.r.nextBoolean() ? "." : "") + pick(inc.r, FIRST).charAt(0)
                    + (inc.r.nextInt(100)) + "@" + pick(inc.r, DOMAINS));
        }
        long step = Duration.ofMinutes(6 + inc.r.nextInt(5)).toMillis() / accounts;
        long t = start.toEpochMilli();
        for (String u : users) {
            int tries = inc.r.nextDouble() < 0.15 ? 2 : 1;
            for (int i = 0; i < tries; i++) {
                t += jitter(inc.r, step / tries);
                if (inc.r.nextDouble() < 0.4) {
                    inc.evidence(logins.request(attacker, Instant.ofEpochMilli(t - 120), 401, inc.r));
                }
                inc.evidence(logins.failure(attacker, Instant.ofEpochMilli(t), u));
            }
        }
        inc.label(Incident.group("device.udid", attacker.udid()));
        // The tell of many stuffing tools: an emulator build (kept out of this rule's evidence, just
        // context), which the mobile pack's emulator-detected reports (issue 30).
        io.fendersec.model.LogRecord emulator = inc.noise(io.fendersec.emulator.generate.LogLine.of(attacker,
                start.minusSeconds(20)).tag("lifecycle").source("AppDelegate", "application(_:didFinishLaunching:)", 42)
                .text("App started on " + pick(inc.r, EMULATOR_MODELS)));
        inc.label("emulator-detected", Incident.group("device.udid", attacker.udid()), java.util.List.of(emulator));
    }
}
