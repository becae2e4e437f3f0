package io.fendersec.detect.normalize;

import java.time.Instant;

import io.fendersec.model.LogRecord;

/**
 * What the pipeline knows about a device's clock from one log: the source analyzes a log dated
 * past the moment its page was fetched (plus {@code source.max-clock-skew}) at that bound, so a
 * claimed time later than the log's event time means the clock runs ahead of anything honest. The
 * log then carries the field {@code device.clock: ahead}, which the built-in rule
 * {@code device-clock-skew} reports: a forged or broken clock is itself a signal.
 */
public final class DeviceClock {
    /** The field, and its value for a clock ahead of the bound. */
    public static final String FIELD = "device.clock";
    public static final String AHEAD = "ahead";
    /**
     * Its value for a log dated far behind its arrival while the device sends live: set by the
     * arrival lane of a continuous job on the logs it re-times (docs/rules.md, "Late data").
     */
    public static final String BEHIND = "behind";

    private DeviceClock() {}

    /** {@code log} with {@code device.clock: ahead} when its claimed time is later than {@code eventTime}. */
    public static NormalizedLog judge(NormalizedLog log, long eventTime) {
        Instant claimed = log.record().time();
        return claimed != null && claimed.toEpochMilli() > eventTime ? log.with(FIELD, AHEAD) : log;
    }

    /** The event time of {@code record} under {@code bound} (epoch millis), or null when it has no usable time. */
    public static Long eventTime(LogRecord record, long bound) {
        Instant t = record.time();
        return t == null ? null : Math.min(t.toEpochMilli(), bound);
    }
}
