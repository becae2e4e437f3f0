package io.fendersec.emulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.ScenarioContext;
import io.fendersec.emulator.generate.ScenarioInjector;
import io.fendersec.emulator.generate.ScenarioOutput;
import io.fendersec.model.ScenarioLabel;

/**
 * A scenario made of a few incidents spread over the range: incident k goes to a different app
 * (starting at a seeded one) and alternates between the first and the last day, at a seeded hour.
 */
abstract class AttackScenario implements ScenarioInjector {
    private final String name;
    private final int incidents;

    AttackScenario(String name, int incidents) {
        this.name = name;
        this.incidents = incidents;
    }

    @Override
    public final String name() {
        return name;
    }

    /** How long one incident lasts at most (used to keep it inside the range). */
    abstract Duration length();

    /** Writes incident {@code k} starting at {@code start} into {@code inc}. */
    abstract void attack(Incident inc, Instant start, int k);

    /** Whether the scenario can happen in this app (e.g. root detection needs a mobile app). */
    boolean fits(GeneratedApp app) {
        return true;
    }

    @Override
    public final ScenarioOutput inject(ScenarioContext ctx) {
        List<GeneratedApp> apps = ctx.apps().stream().filter(this::fits).toList();
        if (apps.isEmpty()) {
            apps = ctx.apps();
        }
        long rangeMillis = Duration.between(ctx.start(), ctx.end()).toMillis();
        long room = length().toMillis() + Duration.ofHours(1).toMillis();
        if (apps.isEmpty() || rangeMillis < room + Duration.ofHours(1).toMillis()) {
            return ScenarioOutput.empty(); // no app or no room: nothing to inject
        }
        SplittableRandom r = ctx.random();
        int first = r.nextInt(apps.size());
        List<GeneratedLog> logs = new ArrayList<>();
        List<ScenarioLabel> labels = new ArrayList<>();
        long day = Duration.ofDays(1).toMillis();
        for (int k = 0; k < incidents; k++) {
            GeneratedApp app = apps.get((first + k) % apps.size());
            // Even incidents in the first day, odd ones in the last day (the same day when there is one).
            long dayStart = k % 2 == 0 ? 0 : Math.max(0, rangeMillis - day);
            long dayEnd = Math.min(rangeMillis, dayStart + day);
            long earliest = dayStart + Duration.ofMinutes(30).toMillis();
            long latest = Math.max(earliest + 1, dayEnd - room);
            Instant start = ctx.start().plusMillis(earliest + r.nextLong(latest - earliest));
            Incident inc = new Incident(ctx, r.split(), name, app);
            attack(inc, start, k);
            inc.emit(logs, labels);
        }
        return new ScenarioOutput(logs, labels);
    }

    /** A device of the app chosen at random (a benign user's device). */
    static Device someDevice(Incident inc) {
        List<Device> ds = inc.ctx.devicesByApp().get(inc.app.id());
        return ds.get(inc.r.nextInt(ds.size()));
    }

    static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }

    /** Seconds as millis with jitter: attacks are scripted but not metronomic. */
    static long jitter(SplittableRandom r, long meanMillis) {
        return meanMillis / 2 + r.nextLong(Math.max(1, meanMillis));
    }
}
