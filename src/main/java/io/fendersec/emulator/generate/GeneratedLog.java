package io.fendersec.emulator.generate;

import java.time.Instant;

import io.fendersec.model.LogRecord;

/** A generated log and when it reaches the server (never before its device time). */
public final class GeneratedLog {
    private final String appId;
    private final LogRecord record;
    private final Instant arrival;

    public GeneratedLog(String appId, LogRecord record, Instant arrival) {
        this.appId = appId;
        this.record = record;
        this.arrival = arrival;
    }

    public String appId() {
        return appId;
    }

    public LogRecord record() {
        return record;
    }

    public Instant arrival() {
        return arrival;
    }
}
