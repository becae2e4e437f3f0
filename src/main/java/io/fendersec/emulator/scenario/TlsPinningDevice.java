package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.emulator.generate.Device;

/**
 * One device behind an intercepting proxy (Burp, mitmproxy, Charles): every API call fails
 * pinning, 10 to 20 times within about ten minutes while someone explores the app.
 */
final class TlsPinningDevice extends AttackScenario {
    TlsPinningDevice() {
        super("tls-pinning-device", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(30);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device d = someDevice(inc);
        inc.session(d, start.minusSeconds(120), 10);
        String host = inc.traffic.apiHost();
        String[] paths = {"/v2/profile", "/v2/cart", "/v2/products", "/v2/orders", "/v2/auth/login"};
        int n = 10 + inc.r.nextInt(11);
        long step = Duration.ofMinutes(6 + inc.r.nextInt(5)).toMillis() / n;
        long t = start.toEpochMilli();
        for (int i = 0; i < n; i++) {
            t += jitter(inc.r, step);
            inc.evidence(TlsPinning.failure(d, Instant.ofEpochMilli(t), inc.app.platform(), host + pick(inc.r, paths), inc.r));
        }
        inc.label(Incident.group("device.udid", d.udid()));
    }
}
