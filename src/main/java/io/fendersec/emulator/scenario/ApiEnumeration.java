package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * Someone maps the backend through the app's own HTTP client (Frida calling the client, or a
 * proxy replaying its requests): 20 to 30 paths the app never calls, each refused with 404, 403
 * or 405, within about seven minutes on one device.
 */
final class ApiEnumeration extends AttackScenario {
    private static final String[] WORDS = {"admin", "internal", "debug", "config", "users", "export", "backup", "metrics",
        "actuator", "graphql", "v1/admin", "swagger.json", "env", "health/full", "staff", "reports", "keys", "tokens",
        "audit", "billing", "feature-flags", "support", "impersonate", "payouts", "refunds", "coupons/all", "sessions",
        "logs", "jobs", "settings/global"};

    ApiEnumeration() {
        super("api-enumeration", 1);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(20);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device d = someDevice(inc);
        int n = 20 + inc.r.nextInt(11);
        long t = start.toEpochMilli();
        int[] statuses = {404, 404, 404, 403, 405};
        for (int i = 0; i < n; i++) {
            t += jitter(inc.r, 14_000);
            String url = inc.traffic.apiHost() + "/v2/" + WORDS[i % WORDS.length];
            int status = statuses[inc.r.nextInt(statuses.length)];
            inc.evidence(LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_WARNING).tag("network")
                    .source("HttpClient", "send(_:)", 64).url(url)
                    .text("GET " + url + " -> " + status + " (" + (10 + inc.r.nextInt(60)) + " ms)"));
        }
        inc.label(Incident.group("device.udid", d.udid()));
    }
}
