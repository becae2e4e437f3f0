package io.fendersec.emulator.scenario;

import java.time.Instant;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/** How certificate-pinning failures read on each platform (TrustKit/URLSession, OkHttp, a web fetch wrapper). */
final class TlsPinning {
    private TlsPinning() {}

    static LogLine failure(Device d, Instant t, String platform, String url, SplittableRandom r) {
        String host = url.replaceFirst("^https?://", "").replaceFirst("[/:].*$", "");
        String pin = "sha256/" + Integer.toHexString(r.nextInt()) + "Xk2vQ" + Integer.toHexString(r.nextInt()) + "=";
        String text;
        if (platform.equals("android")) {
            text = AttackScenario.pick(r,
                    "javax.net.ssl.SSLPeerUnverifiedException: Certificate pinning failure!\n  Peer certificate chain:\n    "
                            + pin + ": CN=" + host + "\n  Pinned certificates for " + host + ":\n    sha256/AAAAB3Nza=",
                    "Certificate pinning failure for " + host + " (pin mismatch), request " + url + " aborted");
        } else if (platform.equals("web")) {
            text = "Public key pin validation failed for " + host + "; request blocked";
        } else {
            text = AttackScenario.pick(r,
                    "TrustKit: Pin validation failed for " + host + " (server public key not in pin set)",
                    "SSL pinning failed: server trust evaluation rejected certificate chain for " + url);
        }
        return LogLine.of(d, t).level(LogFields.LEVEL_ERROR).tag("network").source("PinningDelegate",
                "urlSession(_:didReceive:)", 48).url(url).text(text);
    }
}
