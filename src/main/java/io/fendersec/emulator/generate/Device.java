package io.fendersec.emulator.generate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A generated device: what every one of its logs says about it. Its {@code absolute_time}
 * counter only grows, which makes (app, udid, time, absolute_time) unique across its logs.
 */
public final class Device {
    final String udid;
    final String name;
    final String model;
    final String osVersion;
    final String language;
    final String timezone;
    final String appVersion;
    final String build;
    final String user;
    private final AtomicLong absoluteTime;

    Device(String udid, String name, String model, String osVersion, String language, String timezone,
            String appVersion, String build, String user, long absoluteTimeStart) {
        this.udid = udid;
        this.name = name;
        this.model = model;
        this.osVersion = osVersion;
        this.language = language;
        this.timezone = timezone;
        this.appVersion = appVersion;
        this.build = build;
        this.user = user;
        this.absoluteTime = new AtomicLong(absoluteTimeStart);
    }

    public String udid() {
        return udid;
    }

    public String user() {
        return user;
    }

    public String name() {
        return name;
    }

    public String model() {
        return model;
    }

    public String osVersion() {
        return osVersion;
    }

    public String language() {
        return language;
    }

    public String timezone() {
        return timezone;
    }

    public String appVersion() {
        return appVersion;
    }

    public String build() {
        return build;
    }

    /** The next absolute_time of this device, at least {@code step} after the previous one. */
    public long nextAbsoluteTime(long step) {
        return absoluteTime.addAndGet(Math.max(1, step));
    }

}
