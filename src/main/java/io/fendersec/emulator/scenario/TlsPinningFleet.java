package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.emulator.generate.Device;

/**
 * Many devices fail pinning against one host at once: a network-level interception (a hostile
 * Wi-Fi, a TLS-inspecting proxy, a mis-issued certificate) or a certificate rotation the app's
 * pins did not anticipate. 20 to 35 devices, each failing once or twice, within 10 to 15 minutes.
 */
final class TlsPinningFleet extends AttackScenario {
    TlsPinningFleet() {
        super("tls-pinning-fleet", 2);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(30);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        String host = k % 2 == 0 ? inc.traffic.apiHost() : inc.traffic.apiHost().replace("://api.", "://cdn.");
        String domain = host.replaceFirst("^https?://", "");
        List<Device> pool = new ArrayList<>(inc.ctx.devicesByApp().get(inc.app.id()));
        int n = 20 + inc.r.nextInt(16);
        while (pool.size() < n) {
            pool.add(inc.traffic.device(inc.r, "guest" + pool.size() + "@example.com", "Europe/Madrid"));
        }
        long span = Duration.ofMinutes(10 + inc.r.nextInt(6)).toMillis();
        for (int i = 0; i < n; i++) {
            Device d = pool.remove(inc.r.nextInt(pool.size()));
            long t = start.toEpochMilli() + inc.r.nextLong(span);
            int tries = 1 + inc.r.nextInt(2);
            for (int j = 0; j < tries; j++) {
                inc.evidence(TlsPinning.failure(d, Instant.ofEpochMilli(t + j * 15_000L), inc.app.platform(),
                        host + pick(inc.r, "/v2/products", "/v2/home", "/v2/cart", "/img/banner.jpg"), inc.r));
            }
        }
        inc.label(Incident.group("url.domain", domain));
    }
}
