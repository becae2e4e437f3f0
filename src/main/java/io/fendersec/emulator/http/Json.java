package io.fendersec.emulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small JSON helpers for answers; logs themselves are pre-serialized by the store. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private Json() {}

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an answer", e);
        }
    }

    static byte[] error(String error, String description) {
        // Ordered: the docs show error before error_description, and clients may compare bodies.
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return write(body);
    }

    /** Appends {@code s} as a JSON string, or {@code null}. */
    static void string(ByteArrayOutputStream out, String s) {
        if (s == null) {
            out.write(NULL, 0, NULL.length);
            return;
        }
        out.write('"');
        byte[] b = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        out.write(b, 0, b.length);
        out.write('"');
    }

    static void raw(ByteArrayOutputStream out, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }
}
