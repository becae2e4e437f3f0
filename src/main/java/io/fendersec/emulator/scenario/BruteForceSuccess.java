package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * A brute force that works: 15 to 30 failed sign-ins within minutes, then a successful one for the
 * same account on the same device, then the intruder browsing the account. Two expected alerts:
 * the brute force itself ({@code brute-force}) and its success ({@code brute-force-success}).
 */
final class BruteForceSuccess extends AttackScenario {
    BruteForceSuccess() {
        super("brute-force-success", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(40);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device attacker = inc.traffic.device(inc.r, "guest@example.com", pick(inc.r, "Europe/London", "America/Sao_Paulo"));
        String victim = someDevice(inc).user();
        inc.backgroundSessions(start.minus(Duration.ofMinutes(10)), Duration.ofMinutes(40), 6);
        Duration over = Duration.ofMinutes(3 + inc.r.nextInt(4));
        List<LogRecord> failures = BruteForce.guess(inc, attacker, victim, start, 15 + inc.r.nextInt(16), over);
        Instant in = failures.get(failures.size() - 1).time().plus(Duration.ofSeconds(30 + inc.r.nextInt(240)));
        Logins logins = Logins.style(inc.r, inc.traffic.apiHost());
        LogRecord success = inc.evidence(logins.success(attacker, in, victim));
        // What an intruder does next: look at the profile and orders, change the e-mail.
        String host = inc.traffic.apiHost();
        long t = in.toEpochMilli();
        for (String path : new String[] {"/v2/profile", "/v2/orders", "/v2/profile/email"}) {
            t += 5_000 + inc.r.nextInt(40_000);
            inc.noise(LogLine.of(attacker, Instant.ofEpochMilli(t)).tag("network").source("HttpClient", "send(_:)", 64)
                    .level(LogFields.LEVEL_INFO).url(host + path)
                    .text((path.endsWith("email") ? "PUT " : "GET ") + host + path + " -> 200 (" + (40 + inc.r.nextInt(300)) + " ms)"));
        }
        Map<String, String> group = Incident.group("device.udid", attacker.udid(), "user.name", victim);
        inc.label("brute-force", group, failures);
        List<LogRecord> all = new ArrayList<>(failures);
        all.add(success);
        inc.label("brute-force-success", group, all);
    }
}
