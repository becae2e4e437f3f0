package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
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
 * One device of a seeded app uploads, {@link #DELAY} after the emulator started, a session dated
 * {@link #AHEAD} in the future: a clock set days ahead (forged to push event time, or broken).
 *
 * <p>Its label spans from the upload to the last claimed time. A reader analyzes such a log at
 * min(claimed time, fetch + {@code source.max-clock-skew}): never before it arrived, never after
 * its claim; the alert of {@code device-clock-skew} falls in that span whatever the reader's
 * skew allowance and poll delay, and whether a tail or a later snapshot lists the log.
 */
final class ClockSkew implements LiveScenario {
    static final Duration DELAY = Duration.ofSeconds(20);
    static final Duration AHEAD = Duration.ofDays(2);
    static final String RULE = "device-clock-skew";

    @Override
    public String name() {
        return "clock-skew";
    }

    @Override
    public Plan plan(Dataset dataset, SplittableRandom r, Instant now) {
        List<GeneratedApp> apps = dataset.apps().stream().filter(a -> !dataset.devices(a.id()).isEmpty()).toList();
        if (apps.isEmpty()) {
            return Plan.empty(); // no device to skew
        }
        GeneratedApp app = apps.get(r.nextInt(apps.size()));
        List<Device> devices = dataset.devices(app.id());
        Device d = devices.get(r.nextInt(devices.size()));
        Instant at = now.plus(DELAY);
        Instant claimed = at.plus(AHEAD);
        List<LogRecord> session = new BenignTraffic(app).session(r, d, claimed, claimed.plus(Duration.ofMinutes(10)), 12);
        if (session.isEmpty()) {
            return Plan.empty();
        }
        Instant last = session.stream().map(LogRecord::time).max(Comparator.naturalOrder()).orElseThrow();
        Map<String, String> group = new LinkedHashMap<>();
        group.put(LogFields.DEVICE_UDID, d.udid());
        ScenarioLabel label = new ScenarioLabel(name(), RULE, app.id(), group, at, last,
                session.stream().map(LogRecord::uuid).toList());
        return new Plan(List.of(new Upload(at, app.id(), session)), List.of(label));
    }
}
