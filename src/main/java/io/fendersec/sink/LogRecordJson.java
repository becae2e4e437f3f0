package io.fendersec.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.fendersec.model.LogRecord;
import io.fendersec.model.RawJson;

/** Writes a {@link LogRecord} back as the API record it came from: same names, same order, same types. */
public final class LogRecordJson {
    private static final JsonFactory JSON = new JsonFactory();

    private LogRecordJson() {}

    /** Writes one record as one line of JSON, newline included. */
    public static void writeLine(LogRecord record, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(record, g);
        }
        out.write('\n');
    }

    public static void write(LogRecord record, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : record.fields().entrySet()) {
            g.writeFieldName(e.getKey());
            Object v = e.getValue();
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
                throw new IOException("unsupported value type in field " + e.getKey());
            }
        }
        g.writeEndObject();
    }
}
