package io.fendersec.model;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes one {@link LogRecord} field value as JSON: the value types a record holds map to their
 * JSON forms, and {@link RawJson} is written as it came. Shared by the emulator (serving logs as
 * the API does) and the archive sink (writing them back out), so both agree on every type.
 */
public final class LogValueJson {
    private LogValueJson() {}

    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof RawJson) {
            g.writeRawValue(((RawJson) v).json());
        } else {
            // LogRecord.Builder admits only the types above
            throw new IOException("unsupported log value type " + v.getClass().getName());
        }
    }
}
