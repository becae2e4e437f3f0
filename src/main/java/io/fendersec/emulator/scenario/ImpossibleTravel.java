package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.emulator.generate.BenignTraffic;
import io.fendersec.emulator.generate.Device;
import io.fendersec.model.LogRecord;

/**
 * A user signs in on their own device, and 40 to 100 minutes later the same account signs in from
 * a device set to a timezone at least 8 hours away: no flight is that fast, so the credentials (or
 * the session) are used by someone else.
 */
final class ImpossibleTravel extends AttackScenario {
    ImpossibleTravel() {
        super("impossible-travel", 2);
    }

    @Override
    Duration length() {
        return Duration.ofHours(2);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device home = someDevice(inc);
        String user = home.user();
        List<String> far = new ArrayList<>();
        for (String tz : BenignTraffic.timezones()) {
            if (hoursApart(home.timezone(), tz, start) >= 8) {
                far.add(tz);
            }
        }
        Device away = inc.traffic.device(inc.r, user, far.get(inc.r.nextInt(far.size())));
        Logins logins = Logins.style(inc.r, inc.traffic.apiHost());
        List<LogRecord> evidence = new ArrayList<>();
        inc.session(home, start.minusSeconds(30), 8);
        evidence.add(inc.evidence(logins.success(home, start, user)));
        inc.session(home, start.plusSeconds(5), 15);
        Instant later = start.plus(Duration.ofMinutes(40 + inc.r.nextInt(61)));
        inc.noise(logins.request(away, later.minusMillis(300), 200, inc.r));
        evidence.add(inc.evidence(logins.success(away, later, user)));
        inc.session(away, later.plusSeconds(3), 20);
        inc.label("impossible-travel", Incident.group("user.name", user), evidence);
    }

    static double hoursApart(String tzA, String tzB, Instant at) {
        int a = ZoneId.of(tzA).getRules().getOffset(at).getTotalSeconds();
        int b = ZoneId.of(tzB).getRules().getOffset(at).getTotalSeconds();
        return Math.abs(a - b) / 3600.0;
    }
}
