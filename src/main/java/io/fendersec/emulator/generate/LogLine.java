package io.fendersec.emulator.generate;

import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * One log of a device, built the way the benign traffic builds its logs (every API field, the
 * device's attributes, a source file named for the app's platform), so that scenario logs are
 * indistinguishable from ordinary ones except by what they say.
 */
public final class LogLine {
    private final Device device;
    private final long time;
    private int level = LogFields.LEVEL_INFO;
    private String tag = "app";
    private String file = "App";
    private String method = "run()";
    private int line = 1;
    private String text = "";
    private String url;
    private String kvKey;
    private String kvValue;
    private long threadId = 1;

    private LogLine(Device device, long epochMillis) {
        this.device = Objects.requireNonNull(device, "device");
        this.time = epochMillis;
    }

    public static LogLine of(Device device, Instant time) {
        return new LogLine(device, time.toEpochMilli());
    }

    static LogLine of(Device device, long epochMillis) {
        return new LogLine(device, epochMillis);
    }

    public LogLine level(int level) {
        this.level = level;
        return this;
    }

    public LogLine tag(String tag) {
        this.tag = tag;
        return this;
    }

    /** Source location; {@code file} without extension (the platform's is added: .swift, .kt, .ts). */
    public LogLine source(String file, String method, int line) {
        this.file = file;
        this.method = method;
        this.line = line;
        return this;
    }

    public LogLine text(String text) {
        this.text = text;
        return this;
    }

    public LogLine url(String url) {
        this.url = url;
        return this;
    }

    /** Makes this a key-value log (type 1). */
    public LogLine keyValue(String key, String value) {
        this.kvKey = key;
        this.kvValue = value;
        return this;
    }

    public LogLine thread(long id) {
        this.threadId = id;
        return this;
    }

    /**
     * The record: a uuid drawn from {@code r}, then the device's next absolute_time at least
     * {@code step} after its previous one (the order benign sessions have always drawn them in).
     */
    public LogRecord build(GeneratedApp app, SplittableRandom r, long step) {
        LogRecord.Builder b = LogRecord.builder()
                .put(LogFields.UUID, BenignTraffic.uuid(r).toString())
                .put(LogFields.APP, app.id())
                .put(LogFields.DEVICE_UDID, device.udid)
                .put(LogFields.DEVICE_NAME, device.name)
                .put(LogFields.DEVICE_TYPE, device.model)
                .put(LogFields.VERSION, device.appVersion)
                .put(LogFields.BUILD, device.build)
                .put(LogFields.LANGUAGE, device.language)
                .put(LogFields.OS_VERSION, device.osVersion)
                .put(LogFields.TIMEZONE, device.timezone)
                .put(LogFields.TEXT, text)
                .put(LogFields.METHOD, method)
                .put(LogFields.FILE, file + extension(app.platform()))
                .put(LogFields.LINE, (long) line)
                .put(LogFields.LOG_LEVEL, (long) level)
                .put(LogFields.TAG, tag)
                .put(LogFields.TIME, BenignTraffic.formatTime(time))
                .put(LogFields.ABSOLUTE_TIME, device.nextAbsoluteTime(step))
                .put(LogFields.THREAD_ID, threadId)
                .put(LogFields.THREAD_NAME, threadId == 1 ? "main" : "worker-" + threadId)
                // The emulator's convention for `type`: 0 a plain log, 1 a key-value.
                .put(LogFields.TYPE, kvKey == null ? 0L : 1L);
        if (url != null) {
            b.put(LogFields.URL, url);
        }
        if (kvKey != null) {
            b.put(LogFields.KEY_VALUE_KEY, kvKey).put(LogFields.KEY_VALUE_VALUE, kvValue);
        }
        return b.build();
    }

    public LogRecord build(GeneratedApp app, SplittableRandom r) {
        return build(app, r, 1 + r.nextInt(2000));
    }

    static String extension(String platform) {
        return platform.equals("android") ? ".kt" : platform.equals("web") ? ".ts" : ".swift";
    }
}
