package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * A new app version ships and runs normally for some hours (its own baseline: the usual few
 * percent of errors), then a server-side change it cannot handle (a new field in the checkout
 * response) makes its checkout fail and crash for 40 to 60 minutes: errors and fatals jump far
 * above the version's own rate. The evidence is the errors and fatals of that window.
 */
final class ErrorSpike extends AttackScenario {
    static final String VERSION = "4.5.0";

    ErrorSpike() {
        super("error-spike", 2);
    }

    @Override
    Duration length() {
        return Duration.ofHours(10);
    }

    @Override
    void attack(Incident inc, Instant release, int k) {
        List<Device> adopters = new ArrayList<>();
        int n = 20 + inc.r.nextInt(11);
        for (int i = 0; i < n; i++) {
            Device old = someDevice(inc);
            adopters.add(inc.traffic.device(inc.r, old.user(), old.timezone(), VERSION, "452"));
        }
        // Normal use from release on: a session every one to three hours per device.
        Instant until = release.plus(length());
        for (Device d : adopters) {
            Instant t = release.plusMillis(inc.r.nextLong(Duration.ofHours(1).toMillis()));
            while (t.isBefore(until)) {
                inc.session(d, t, 8 + inc.r.nextInt(20));
                t = t.plus(Duration.ofMinutes(60 + inc.r.nextInt(120)));
            }
        }
        Instant spike = release.plus(Duration.ofMinutes(5 * 60 + inc.r.nextInt(120)));
        long spikeMillis = Duration.ofMinutes(40 + inc.r.nextInt(21)).toMillis();
        String host = inc.traffic.apiHost();
        for (Device d : adopters) {
            int sessions = 1 + inc.r.nextInt(2);
            for (int s = 0; s < sessions; s++) {
                long t = spike.toEpochMilli() + inc.r.nextLong(spikeMillis - 60_000);
                inc.noise(LogLine.of(d, Instant.ofEpochMilli(t)).tag("navigation").source("Router", "show(_:)", 31)
                        .text("Screen shown: Checkout"));
                int errors = 2 + inc.r.nextInt(4);
                for (int e = 0; e < errors; e++) {
                    t += 300 + inc.r.nextInt(4000);
                    inc.evidence(error(d, Instant.ofEpochMilli(t), inc.app.platform(), host, e, inc));
                }
                t += 200 + inc.r.nextInt(2000);
                inc.evidence(crash(d, Instant.ofEpochMilli(t), inc.app.platform()));
            }
        }
        inc.label(Incident.group("version.version", VERSION));
    }

    private static LogLine error(Device d, Instant t, String platform, String host, int i, Incident inc) {
        if (i % 2 == 0) {
            String url = host + "/v2/checkout";
            return LogLine.of(d, t).level(LogFields.LEVEL_ERROR).tag("network").source("HttpClient", "send(_:)", 64).url(url)
                    .text("POST " + url + " -> 500 (" + (200 + inc.r.nextInt(900)) + " ms)");
        }
        return LogLine.of(d, t).level(LogFields.LEVEL_ERROR).tag("checkout").source("PaymentSheet", "render()", 144)
                .text(pick(inc.r, "Failed to render PaymentSheet: unknown field 'installments' in response",
                        "Checkout decoding error: keyNotFound(\"currency\")", "Coupon apply failed: unexpected null discount"));
    }

    private static LogLine crash(Device d, Instant t, String platform) {
        String text;
        switch (platform) {
            case "android":
                text = "FATAL EXCEPTION: main java.lang.NullPointerException: Attempt to invoke virtual method "
                        + "'java.math.BigDecimal Discount.getAmount()' on a null object reference at CouponAdapter.bind";
                break;
            case "web":
                text = "Uncaught TypeError: Cannot read properties of undefined (reading 'amount') at CheckoutPage.render";
                break;
            default:
                text = "Fatal error: Unexpectedly found nil while unwrapping an Optional value (CheckoutViewModel.swift:212)";
        }
        return LogLine.of(d, t).level(LogFields.LEVEL_FATAL).tag("crash").source("CheckoutViewModel", "applyCoupon()", 212)
                .text(text);
    }
}
