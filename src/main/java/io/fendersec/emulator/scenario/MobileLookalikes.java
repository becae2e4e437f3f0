package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.emulator.generate.ScenarioContext;
import io.fendersec.emulator.generate.ScenarioInjector;
import io.fendersec.emulator.generate.ScenarioOutput;
import io.fendersec.model.LogRecord;

/**
 * Benign logs that look like the mobile pack's findings (issue 30): a painter called Frida, a
 * root view controller, a goldfish bowl, a clean RootBeer report, verdicts of genuine devices,
 * HTTP to localhost, an IBAN-shaped reference failing its check. No labels: every alert on them is
 * a false alert, so the pack's precision on them is measured with the rest (each appears once per
 * app, on a random device at a random time). Keep in step with the must-not examples of the
 * rules' {@code mobile-*.tests.yml}.
 */
final class MobileLookalikes implements ScenarioInjector {
    /** Text, then an optional key-value pair and URL. */
    private static final String[][] LOGS = {
        {"Banner shown: Frida Kahlo exhibition, 20% off prints"},
        {"Profile loaded for Frida Hansen"},
        {"Root view controller loaded; signature screen shown"},
        {"Rooting for the home team: match banner shown"},
        {"Product viewed: Coco coir growing substrate 10 l"},
        {"React hooks rendered in 12 ms"},
        {"Card shadow radius set to 4dp"},
        {"Route avoids bypass road"},
        {"Debug.isDebuggerConnected() returned false; TracerPid: 0"},
        {"Debug menu opened in settings"},
        {"Product viewed: Goldfish bowl 20 l"},
        {"Game controller emulation enabled"},
        {"Starting 4 parallel downloads"},
        {"Screenshot taken on ProductDetail screen"},
        {"Bottom sheet overlay shown: cookie consent"},
        {"Remote config fetched: 42 keys"},
        {"Accessibility: TalkBack enabled, larger text"},
        {"Magic link sent to your inbox"},
        {"Dispatch queue drained; kernel 5.15 reported"},
        {"Playlist loaded: Dopamine Hits"},
        {"RootBeer: isRooted=false"},
        {"IOSSecuritySuite: amIJailbroken=false"},
        {"Tai chi class booked for Saturday"},
        {"developer_options = false", "developer_options", "false"},
        {"adb_enabled = 0", "adb_enabled", "0"},
        {"Signature captured on delivery form, 120 points"},
        {"Bundle identifier: com.shop.app"},
        {"Install source: installer=com.android.vending"},
        {"Asset pack checksum verified (sha256 ok)"},
        {"Play Integrity: deviceRecognitionVerdict=[MEETS_BASIC_INTEGRITY, MEETS_DEVICE_INTEGRITY]"},
        {"accountDetails.appLicensingVerdict: LICENSED"},
        {"Play Integrity verdict: appRecognitionVerdict=PLAY_RECOGNIZED"},
        {"environmentDetails.playProtectVerdict=NO_ISSUES"},
        {"Play Integrity appAccessRiskVerdict: appsDetected=[KNOWN_INSTALLED]"},
        {"Metro bundle loaded", null, null, "http://localhost:8081/index.bundle"},
        {"Network check: no proxy detected"},
        {"Image proxy cache warmed (42 entries)"},
        {"Screen shown: VPN settings help"},
        {"No VPN detected"},
        {"TLS: chain ends in system CA \"ISRG Root X1\""},
        {"Biometric prompt: fingerprint not recognized, try again"},
        {"Step-up: OTP verified"},
        {"Transfer to DE89 3704 0044 0532 0130 02 queued"},
        {"National holiday banner shown, campaign id=88123"},
        {"Build 4.4.0+20260301123456"},
    };

    @Override
    public String name() {
        return "mobile-lookalikes";
    }

    @Override
    public ScenarioOutput inject(ScenarioContext ctx) {
        SplittableRandom r = ctx.random();
        long range = Duration.between(ctx.start(), ctx.end()).toMillis();
        List<GeneratedLog> out = new ArrayList<>();
        if (range <= 0) {
            return ScenarioOutput.empty();
        }
        for (GeneratedApp app : ctx.apps()) {
            List<Device> ds = ctx.devicesByApp().get(app.id());
            for (String[] l : LOGS) {
                Device d = ds.get(r.nextInt(ds.size()));
                Instant t = ctx.start().plusMillis(r.nextLong(range));
                LogLine line = LogLine.of(d, t).tag("app").source("Screen", "render()", 12).text(l[0]);
                if (l.length > 1 && l[1] != null) {
                    line.keyValue(l[1], l[2]);
                }
                if (l.length > 3) {
                    line.url(l[3]);
                }
                LogRecord rec = line.build(app, r);
                out.add(new GeneratedLog(app.id(), rec, t.plusMillis(ctx.arrivals().promptDelayMillis(r))));
            }
        }
        return new ScenarioOutput(out, List.of());
    }
}
