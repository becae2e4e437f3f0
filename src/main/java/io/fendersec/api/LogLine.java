package io.fendersec.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;

import io.fendersec.model.LogRecord;

/**
 * One log written as one JSON object (a line of {@code /logs/download}, or of the raw-log archive,
 * which writes back what the API returned), read by the same parser as the API's pages, under the
 * same limits: a line the client would refuse from the server is refused from a file too.
 */
public final class LogLine {
    private final JsonFactory json;

    private LogLine(ResponseLimits limits) {
        this.json = limits.jsonFactory();
    }

    /** A reader held to {@code limits} (its line length and nesting depth). */
    public static LogLine under(ResponseLimits limits) {
        return new LogLine(limits);
    }

    /** The log in {@code line[offset, offset + length)}; throws IOException when it is not one JSON object. */
    public LogRecord parse(byte[] line, int offset, int length) throws IOException {
        return LogJson.recordLine(json, line, offset, length);
    }
}
