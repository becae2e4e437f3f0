package io.fendersec.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.apache.flink.api.common.serialization.Encoder;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.fendersec.model.LogRecord;
import io.fendersec.model.LogValueJson;

/**
 * One log as one JSON line, with the API's field names and order, unknown fields included, nested
 * values written back verbatim: the archive holds what the API returned.
 */
public final class LogRecordJsonEncoder implements Encoder<LogRecord> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    @Override
    public void encode(LogRecord log, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            write(log, g);
        }
        out.write('\n');
    }

    static void write(LogRecord log, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : log.fields().entrySet()) {
            g.writeFieldName(e.getKey());
            LogValueJson.write(g, e.getValue());
        }
        g.writeEndObject();
    }
}
