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
 * A farmed account: 3 or 4 rooted devices, new to the app, send integrity reports naming the same
 * account within six hours (bonus abuse, a mule account). Labels: the account
 * ({@code account-tampered-devices}) and each device's own root finding ({@code root-jailbreak}).
 */
final class AccountTamperedDevices extends AttackScenario {
    AccountTamperedDevices() {
        super("account-tampered-devices", 1);
    }

    @Override
    boolean fits(GeneratedApp app) {
        return !app.platform().equals("web");
    }

    @Override
    Duration length() {
        return Duration.ofHours(7);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        String account = "acct-" + (10_000 + inc.r.nextInt(90_000));
        Device model = someDevice(inc);
        int devices = 3 + inc.r.nextInt(2);
        long t = start.toEpochMilli();
        for (int i = 0; i < devices; i++) {
            Device d = inc.traffic.device(inc.r, account + "@farm.example.net", model.timezone());
            t += jitter(inc.r, Duration.ofMinutes(80).toMillis());
            LogRecord report = inc.evidence(LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_WARNING)
                    .tag("security").source("IntegrityReporter", "send(_:)", 33)
                    .text("Integrity report: device rooted, user=" + account));
            inc.label("root-jailbreak", Incident.group("device.udid", d.udid()), List.of(report));
        }
        inc.label(Incident.group("user.name", account));
    }
}
