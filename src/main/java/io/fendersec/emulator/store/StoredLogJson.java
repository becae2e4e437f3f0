package io.fendersec.emulator.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogValueJson;

/**
 * Writes a log record as the API does: its fields in order under their literal (dotted) names,
 * with {@code app} always the store's string id. Done once per log when it arrives, so that
 * serving a page is copying bytes rather than serializing objects.
 */
public final class StoredLogJson {
    private static final JsonFactory JSON = new JsonFactory();

    private StoredLogJson() {}

    public static byte[] toJson(LogRecord record, String appId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (!record.has(LogFields.APP)) {
                g.writeStringField(LogFields.APP, appId);
            }
            for (Map.Entry<String, Object> e : record.fields().entrySet()) {
                g.writeFieldName(e.getKey());
                if (LogFields.APP.equals(e.getKey())) {
                    g.writeString(appId);
                } else {
                    LogValueJson.write(g, e.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
