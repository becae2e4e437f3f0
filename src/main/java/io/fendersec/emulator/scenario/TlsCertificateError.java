package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * One device behind an intercepting proxy whose CA the system does not trust (no pinning in the
 * app): every call fails certificate validation, 4 to 8 times within about eight minutes.
 */
final class TlsCertificateError extends AttackScenario {
    TlsCertificateError() {
        super("tls-certificate-error", 1);
    }

    @Override
    boolean fits(GeneratedApp app) {
        return !app.platform().equals("web");
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(20);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        Device d = someDevice(inc);
        String[] paths = {"/v2/profile", "/v2/cart", "/v2/products", "/v2/orders"};
        int n = 4 + inc.r.nextInt(5);
        long t = start.toEpochMilli();
        for (int i = 0; i < n; i++) {
            t += jitter(inc.r, Duration.ofMinutes(1).toMillis());
            String url = inc.traffic.apiHost() + pick(inc.r, paths);
            String text = inc.app.platform().equals("android")
                    ? "javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: "
                            + "Trust anchor for certification path not found. (" + url + ")"
                    : "Task finished with error [-1202] Error Domain=NSURLErrorDomain Code=-1202 "
                            + "\"The certificate for this server is invalid.\" (" + url + ")";
            inc.evidence(LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_WARNING).tag("network")
                    .source("HttpClient", "send(_:)", 71).url(url).text(text));
        }
        inc.label(Incident.group("device.udid", d.udid()));
    }
}
