package io.fendersec.detect.engine;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * The arrival-time lane of a continuous job: logs too late for event-time correlations, keyed by
 * (app, device), judged by when they arrived. A device whose clock is set back (no root needed)
 * dates every log it sends live hours behind: in event time they are all too late, and without
 * this lane its brute force counted for nothing. An offline device that uploads hours of old
 * logs at once is normal, and must not become one burst of alerts.
 *
 * <p>What tells them apart is the device's clock offset, arrival minus device time. A log's offset
 * is the clock's offset plus how long the log waited on the device; the smallest offset among the
 * device's late logs of one settle period ({@link Settings#settle}) estimates the clock's, since a
 * live log waits next to nothing. The lane holds a device's late logs for that period, then
 * re-times only those whose offset is within {@link Settings#tolerance} of the smallest: shifted
 * all by the same amount, so their spacing, and what windows they fill, are those the device's
 * clock gave them. A clock set back sends its logs with one steady offset: all are re-timed to
 * about their arrival and count for correlations. An offline upload's offsets run from hours down
 * to seconds: only a tolerance-wide slice of device time is re-timed (its newest late logs, in
 * their own spacing), the rest keep their times, never one burst.
 *
 * <p>Re-timed logs go out with {@code time} set to the re-timed moment (the claimed time is kept
 * as {@code device.time}), {@code device.clock: behind} and {@code device.clock.batch} (the settle
 * period's end, epoch millis), to a second match operator that counts them for correlations only
 * (their own rules already ran on their first pass) into the same keyed correlation stages.
 * Only logs that arrive while the job is live are held (the watermark within
 * {@link Settings#liveLag} of the clock): a backfill's late logs are not arrivals of now.
 * Memory: at most {@link Settings#maxHeld} logs per device and period; more are counted
 * ({@code arrivalLaneOverflow}) and keep their times. Archive and per-event rules saw every late
 * log already: the lane adds, it never withholds.
 */
final class ArrivalLane extends KeyedProcessFunction<String, LogRecord, LogRecord> {
    private static final long serialVersionUID = 1L;

    /** The claimed time of a re-timed log. */
    static final String DEVICE_TIME = "device.time";
    /** The settle period a re-timed log was judged in (its end, epoch millis): one per arrival batch. */
    static final String BATCH = "device.clock.batch";

    /**
     * @param settle    how long a device's late logs are held before its offset is judged
     * @param tolerance how far a log's offset may exceed the smallest and still be re-timed
     * @param liveLag   how far the watermark may be behind the clock for a log to count as live
     * @param maxHeld   logs held per device and period
     */
    record Settings(Duration settle, Duration tolerance, Duration liveLag, int maxHeld) implements Serializable {
        static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10), 10_000);
        }
    }

    private static final TupleTypeInfo<Tuple2<LogRecord, Long>> HELD_TYPE =
            new TupleTypeInfo<>(LogRecordTypeInfo.INSTANCE, Types.LONG);

    private final Settings settings;
    private transient ListState<Tuple2<LogRecord, Long>> held;
    private transient ValueState<Integer> heldCount;
    private transient Counter retimed;
    private transient Counter overflow;

    ArrivalLane(Settings settings) {
        this.settings = settings;
    }

    /** The key: app and device; a log without a device is its app's own device. */
    static String key(LogRecord log) {
        String d = log.deviceUdid();
        return log.app() + '\u0000' + (d == null ? "" : d);
    }

    @Override
    public void open(OpenContext ctx) {
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("arrival-lane-held", HELD_TYPE));
        heldCount = getRuntimeContext().getState(new ValueStateDescriptor<>("arrival-lane-count", Types.INT));
        retimed = getRuntimeContext().getMetricGroup().counter("arrivalLaneRetimed");
        overflow = getRuntimeContext().getMetricGroup().counter("arrivalLaneOverflow");
    }

    @Override
    public void processElement(LogRecord log, Context ctx, Collector<LogRecord> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        long wm = ctx.timerService().currentWatermark();
        if (log.time() == null || wm < now - settings.liveLag().toMillis()) {
            return; // not an arrival of now (a backfill), or no device time to correct
        }
        Integer n = heldCount.value();
        if (n == null) {
            n = 0;
            ctx.timerService().registerProcessingTimeTimer(now + settings.settle().toMillis());
        }
        if (n >= settings.maxHeld()) {
            overflow.inc();
            return;
        }
        held.add(Tuple2.of(log, now));
        heldCount.update(n + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LogRecord> out) throws Exception {
        List<Tuple2<LogRecord, Long>> logs = new ArrayList<>();
        for (Tuple2<LogRecord, Long> t : held.get()) {
            logs.add(t);
        }
        held.clear();
        heldCount.clear();
        long clockOffset = Long.MAX_VALUE;
        for (Tuple2<LogRecord, Long> t : logs) {
            clockOffset = Math.min(clockOffset, offset(t));
        }
        long tolerance = settings.tolerance().toMillis();
        for (Tuple2<LogRecord, Long> t : logs) {
            if (offset(t) - clockOffset <= tolerance) {
                retimed.inc();
                out.collect(retime(t.f0, clockOffset, timestamp));
            }
        }
    }

    /** Arrival minus device time. */
    private static long offset(Tuple2<LogRecord, Long> t) {
        return t.f1 - t.f0.time().toEpochMilli();
    }

    /** {@code log} moved {@code offset} later, marked as behind, with its claimed time kept. */
    static LogRecord retime(LogRecord log, long offset, long batch) {
        LogRecord.Builder b = LogRecord.builder();
        for (var e : log.fields().entrySet()) {
            if (!e.getKey().equals(LogFields.TIME)) {
                b.put(e.getKey(), e.getValue());
            }
        }
        return b.put(LogFields.TIME, Instant.ofEpochMilli(log.time().toEpochMilli() + offset).toString())
                .put(DEVICE_TIME, log.get(LogFields.TIME))
                .put(DeviceClock.FIELD, DeviceClock.BEHIND)
                .put(BATCH, Long.toString(batch))
                .build();
    }
}
