package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.fendersec.emulator.generate.BenignTraffic;
import io.fendersec.emulator.generate.Device;

/**
 * One account attacked from many devices (a botnet or a device farm spreading its attempts so no
 * single device looks like a brute force): 10 to 16 devices, each failing 1 to 3 times, within
 * 20 to 30 minutes.
 */
final class AccountManyDevices extends AttackScenario {
    AccountManyDevices() {
        super("account-many-devices", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(45);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        String victim = someDevice(inc).user();
        inc.backgroundSessions(start.minus(Duration.ofMinutes(10)), Duration.ofMinutes(45), 8);
        Logins logins = Logins.style(inc.r, inc.traffic.apiHost());
        List<String> zones = BenignTraffic.timezones();
        int devices = 10 + inc.r.nextInt(7);
        long span = Duration.ofMinutes(20 + inc.r.nextInt(11)).toMillis();
        for (int i = 0; i < devices; i++) {
            Device bot = inc.traffic.device(inc.r, "guest@example.com", zones.get(inc.r.nextInt(zones.size())));
            long t = start.toEpochMilli() + span * i / devices + inc.r.nextLong(Math.max(1, span / devices));
            int tries = 1 + inc.r.nextInt(3);
            for (int j = 0; j < tries; j++) {
                t += 4_000 + inc.r.nextInt(20_000);
                if (inc.r.nextBoolean()) {
                    inc.evidence(logins.request(bot, Instant.ofEpochMilli(t - 100), 401, inc.r));
                }
                inc.evidence(logins.failure(bot, Instant.ofEpochMilli(t), victim));
            }
        }
        inc.label(Incident.group("user.name", victim));
    }
}
