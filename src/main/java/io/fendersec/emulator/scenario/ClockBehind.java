package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.BenignTraffic;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.LiveScenario;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;

/**
 * Issue 27 §2: a device whose clock is set {@link #BEHIND} back (no root needed) brute-forces an
 * account live: from {@link #DELAY} after the emulator started, {@link #FAILURES} failed sign-ins
 * and then a success, one upload every {@link #EVERY}, each dated two hours before it arrives.
 * In event time every log is hours too late for correlations.
 *
 * <p>Its label ({@code device-clock-behind}, the device) spans from the first claimed time to
 * the last arrival: a continuous job's arrival lane re-times the logs by the device's offset, to
 * no earlier than claimed and no later than arrival. The brute force itself is not labeled here
 * (the pack's brute-force rules have labels of their own in other scenarios); a job that judges
 * late logs by arrival raises brute-force and brute-force-success for it as well.
 */
final class ClockBehind implements LiveScenario {
    static final Duration DELAY = Duration.ofSeconds(15);
    static final Duration BEHIND = Duration.ofHours(2);
    static final Duration EVERY = Duration.ofSeconds(2);
    static final int FAILURES = 15;
    static final String RULE = "device-clock-behind";

    @Override
    public String name() {
        return "clock-behind";
    }

    @Override
    public Plan plan(Dataset dataset, SplittableRandom r, Instant now) {
        List<GeneratedApp> apps = dataset.apps().stream().filter(a -> !dataset.devices(a.id()).isEmpty()).toList();
        if (apps.isEmpty()) {
            return Plan.empty();
        }
        GeneratedApp app = apps.get(r.nextInt(apps.size()));
        List<Device> devices = dataset.devices(app.id());
        Device d = devices.get(r.nextInt(devices.size()));
        Logins logins = Logins.style(r, new BenignTraffic(app).apiHost());
        String victim = "victim" + r.nextInt(1000) + "@example.com";
        List<Upload> uploads = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        Instant first = now.plus(DELAY);
        Instant at = first;
        for (int i = 0; i <= FAILURES; i++) {
            Instant claimed = at.minus(BEHIND);
            LogRecord log = (i < FAILURES ? logins.failure(d, claimed, victim) : logins.success(d, claimed, victim))
                    .build(app, r);
            uploads.add(new Upload(at, app.id(), List.of(log)));
            uuids.add(log.uuid());
            at = at.plus(EVERY);
        }
        Instant lastArrival = at.minus(EVERY);
        Map<String, String> group = new LinkedHashMap<>();
        group.put(LogFields.DEVICE_UDID, d.udid());
        ScenarioLabel label = new ScenarioLabel(name(), RULE, app.id(), group, first.minus(BEHIND), lastArrival, uuids);
        return new Plan(uploads, List.of(label));
    }
}
