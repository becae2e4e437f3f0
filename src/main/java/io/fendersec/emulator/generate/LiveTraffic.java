package io.fendersec.emulator.generate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.fendersec.model.LogRecord;

/**
 * Keeps logs arriving while the emulator runs: {@code rate} logs per second in total, spread over
 * the apps, ten batches a second. Most are sessions that just happened; about one session in
 * twenty is a device uploading a session from hours ago, so tails see late logs too.
 * Planned uploads of live scenarios ({@link LiveScenario}) are delivered on the first tick at or
 * after their time, with or without a rate.
 * (Live logs depend on the wall clock; only the initial data set is reproducible.)
 */
public final class LiveTraffic implements AutoCloseable {
    private static final long TICK_MILLIS = 100;

    private final Dataset dataset;
    private final double rate;
    private final Clock clock;
    private final BiConsumer<String, List<LogRecord>> sink;
    private final SplittableRandom random;
    private final ScheduledExecutorService timer;
    private final Deque<LiveScenario.Upload> planned;
    private double owed;
    private int nextApp;

    public LiveTraffic(Dataset dataset, double rate, long seed, Clock clock, BiConsumer<String, List<LogRecord>> sink) {
        this(dataset, rate, seed, clock, sink, List.of());
    }

    /** With {@code uploads} of live scenarios, delivered when due (in time order). */
    public LiveTraffic(Dataset dataset, double rate, long seed, Clock clock, BiConsumer<String, List<LogRecord>> sink,
            List<LiveScenario.Upload> uploads) {
        this.planned = new ArrayDeque<>(uploads.stream().sorted(Comparator.comparing(LiveScenario.Upload::at)).toList());
        this.dataset = dataset;
        this.rate = rate;
        this.clock = clock;
        this.sink = sink;
        this.random = new SplittableRandom(seed ^ 0x11FE11FEL);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emulator-live-traffic");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        if (rate > 0 && !dataset.apps().isEmpty() || !planned.isEmpty()) {
            timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        Instant now = clock.instant();
        while (!planned.isEmpty() && !planned.peek().at().isAfter(now)) {
            LiveScenario.Upload u = planned.poll();
            sink.accept(u.appId(), new ArrayList<>(u.logs()));
        }
        if (dataset.apps().isEmpty()) {
            return;
        }
        owed += rate * TICK_MILLIS / 1000.0;
        while (owed >= 1) {
            GeneratedApp app = dataset.apps().get(nextApp++ % dataset.apps().size());
            List<Device> devices = dataset.devices(app.id());
            Device d = devices.get(random.nextInt(devices.size()));
            boolean late = random.nextDouble() < 0.05;
            // A session that just ended, or one from 1 to 6 hours ago being uploaded now.
            Instant sessionStart = late
                    ? now.minus(Duration.ofMinutes(60 + random.nextInt(300)))
                    : now.minusSeconds(5 + random.nextInt(60));
            Instant limit = late ? sessionStart.plus(Duration.ofMinutes(10)) : now;
            List<LogRecord> session = new BenignTraffic(app).session(random, d, sessionStart, limit, (int) Math.max(1, owed));
            if (session.isEmpty()) {
                break;
            }
            owed -= session.size();
            sink.accept(app.id(), new ArrayList<>(session));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
