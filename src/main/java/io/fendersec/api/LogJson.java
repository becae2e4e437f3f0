package io.fendersec.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.auth.TokenResponse;
import io.fendersec.model.LogRecord;
import io.fendersec.model.RawJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the API's answers with Jackson's streaming parser: a page of 10 000 logs becomes records
 * directly, without an intermediate tree. A record keeps every field in the server's order,
 * unknown ones included; nested objects and arrays are kept as compact {@link RawJson}.
 *
 * <p>An answer of the wrong shape throws {@link JsonParseException}, like one that is not JSON:
 * both are "the server sent something unreadable", which the client retries a few times.
 */
final class LogJson {
    /**
     * Leaves the stream open when a parser closes: the executor still reads the body to its end,
     * which is where a body cut off before its Content-Length shows up.
     */
    static final JsonFactory FACTORY = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    /** {@link #FACTORY} held to the default {@code source.limits}. */
    private static final JsonFactory DEFAULT = ResponseLimits.DEFAULTS.jsonFactory();

    private LogJson() {}

    // With the default limits (ResponseLimits.DEFAULTS keeps FACTORY's shape): for tests and callers without settings.

    static LogPage page(String url, InputStream in) throws IOException {
        return page(DEFAULT, url, in);
    }

    static LogPage pageLinks(String url, InputStream in) throws IOException {
        return pageLinks(DEFAULT, url, in);
    }

    static LogRecord recordLine(String line) throws IOException {
        byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return recordLine(DEFAULT, b, 0, b.length);
    }

    static List<App> apps(InputStream in) throws IOException {
        return apps(DEFAULT, in);
    }

    static long count(InputStream in) throws IOException {
        return count(DEFAULT, in);
    }

    static TokenResponse token(InputStream in) throws IOException {
        return token(DEFAULT, in);
    }

    static ErrorAnswer error(int status, InputStream in) {
        return error(DEFAULT, status, in);
    }

    static LogPage page(JsonFactory json, String url, InputStream in) throws IOException {
        return page(json, url, in, true);
    }

    /**
     * A page read for its links: its logs are counted, not parsed. A byte scan finds the top-level
     * {@code data} array and counts its objects (tokenizing them, even to skip, cost half a full
     * parse: JFR, issue 16); the rest of the answer, with {@code data} emptied, goes through the
     * page parser, so the links are checked as strictly as ever. An answer the scan does not
     * recognise is read the slow way.
     */
    static LogPage pageLinks(JsonFactory json, String url, InputStream in) throws IOException {
        // Bounded like every answer (source.limits.max-page-bytes): past the limit, the parser sees
        // the whole stream and refuses it with the limit's error.
        long max = json.streamReadConstraints().getMaxDocumentLength();
        byte[] body = max > 0 && max < Integer.MAX_VALUE - 8 ? in.readNBytes((int) max + 1) : in.readAllBytes();
        if (max > 0 && body.length > max) {
            return page(json, url, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(body), in), false);
        }
        long span = DataSpan.find(body);
        if (span < 0) {
            return page(json, url, new java.io.ByteArrayInputStream(body), false);
        }
        int open = (int) (span >>> 32);
        int close = (int) span;
        int count = DataSpan.countObjects(body, open, close);
        if (count < 0) {
            return page(json, url, new java.io.ByteArrayInputStream(body), false);
        }
        byte[] rest = new byte[body.length - (close - open) + 1];
        System.arraycopy(body, 0, rest, 0, open + 1);
        System.arraycopy(body, close, rest, open + 1, body.length - close);
        LogPage links = page(json, url, new java.io.ByteArrayInputStream(rest), false);
        return LogPage.linksOnly(url, count, links.next(), links.previous(), links.last(), links.queryId());
    }

    /** Finds the top-level {@code "data": [...]} array of a page's bytes without tokenizing its logs. */
    static final class DataSpan {
        private DataSpan() {}

        /** (index of '[' << 32) | index of the matching ']', or -1 when not found as expected. */
        static long find(byte[] b) {
            int depth = 0;
            int i = 0;
            int n = b.length;
            while (i < n) {
                byte c = b[i];
                if (c == '"') {
                    int end = stringEnd(b, i);
                    if (end < 0) {
                        return -1;
                    }
                    if (depth == 1 && end - i == 5 && b[i + 1] == 'd' && b[i + 2] == 'a' && b[i + 3] == 't'
                            && b[i + 4] == 'a') {
                        int j = skipSpace(b, end + 1);
                        if (j < n && b[j] == ':') {
                            j = skipSpace(b, j + 1);
                            if (j < n && b[j] == '[') {
                                int close = matching(b, j);
                                return close < 0 ? -1 : ((long) j << 32) | close;
                            }
                            return -1;
                        }
                    }
                    i = end + 1;
                } else {
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                    }
                    i++;
                }
            }
            return -1;
        }

        /** Objects directly inside the array b[open..close]; -1 when an element is not an object. */
        static int countObjects(byte[] b, int open, int close) {
            int depth = 0;
            int count = 0;
            boolean expectElement = true;
            for (int i = open + 1; i < close; i++) {
                byte c = b[i];
                if (c == '"') {
                    if (depth == 0) {
                        return -1;
                    }
                    i = stringEnd(b, i);
                    if (i < 0) {
                        return -1;
                    }
                } else if (c == '{' || c == '[') {
                    if (depth == 0) {
                        if (c != '{' || !expectElement) {
                            return -1;
                        }
                        count++;
                        expectElement = false;
                    }
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                } else if (depth == 0) {
                    if (c == ',') {
                        expectElement = true;
                    } else if (!isSpace(c)) {
                        return -1;
                    }
                }
            }
            return depth == 0 && (count == 0 || !expectElement) ? count : -1;
        }

        /** Index of the quote closing the string that opens at {@code at}, or -1. */
        private static int stringEnd(byte[] b, int at) {
            for (int i = at + 1; i < b.length; i++) {
                if (b[i] == '\\') {
                    i++;
                } else if (b[i] == '"') {
                    return i;
                }
            }
            return -1;
        }

        private static int matching(byte[] b, int open) {
            int depth = 0;
            for (int i = open; i < b.length; i++) {
                byte c = b[i];
                if (c == '"') {
                    i = stringEnd(b, i);
                    if (i < 0) {
                        return -1;
                    }
                } else if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    if (--depth == 0) {
                        return c == ']' ? i : -1;
                    }
                }
            }
            return -1;
        }

        private static int skipSpace(byte[] b, int i) {
            while (i < b.length && isSpace(b[i])) {
                i++;
            }
            return i;
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || c == '\n' || c == '\r' || c == '\t';
        }
    }

    private static LogPage page(JsonFactory json, String url, InputStream in, boolean keepRecords) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "a page object");
            List<LogRecord> records = null;
            int size = -1;
            String next = null;
            String previous = null;
            String last = null;
            String queryId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "data":
                        expect(p, t, JsonToken.START_ARRAY, "'data' to be an array");
                        records = new ArrayList<>();
                        size = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (keepRecords) {
                                records.add(record(p));
                            } else {
                                expect(p, p.currentToken(), JsonToken.START_OBJECT, "a log object");
                                p.skipChildren();
                            }
                            size++;
                        }
                        break;
                    case "next":
                        next = textOrNull(p, t, name);
                        break;
                    case "previous":
                        previous = textOrNull(p, t, name);
                        break;
                    case "last":
                        last = textOrNull(p, t, name);
                        break;
                    case "query_id":
                        queryId = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                        break;
                    default:
                        p.skipChildren();
                }
            }
            end(p);
            if (records == null) {
                throw new JsonParseException(p, "the page has no 'data' array");
            }
            return keepRecords ? new LogPage(url, records, next, previous, last, queryId)
                    : LogPage.linksOnly(url, size, next, previous, last, queryId);
        }
    }

    /** One log object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    static LogRecord record(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "a log object");
        LogRecord.Builder b = LogRecord.builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            b.put(name, value(p, p.nextToken()));
        }
        return b.build();
    }

    /** Reads one NDJSON line. */
    static LogRecord recordLine(JsonFactory json, byte[] line, int offset, int length) throws IOException {
        try (JsonParser p = json.createParser(line, offset, length)) {
            p.nextToken();
            LogRecord r = record(p);
            end(p);
            return r;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
            case START_ARRAY: {
                StringWriter w = new StringWriter();
                try (JsonGenerator g = FACTORY.createGenerator(w)) {
                    g.copyCurrentStructure(p);
                }
                return new RawJson(w.toString());
            }
            default:
                throw new JsonParseException(p, "unexpected " + t + " in a log object");
        }
    }

    static List<App> apps(JsonFactory json, InputStream in) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                // Tolerate {"data":[...]} as well as a bare array.
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    if (name.equals("data") && t == JsonToken.START_ARRAY) {
                        List<App> apps = appArray(p);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            p.nextToken();
                            p.skipChildren();
                        }
                        end(p);
                        return apps;
                    }
                    p.skipChildren();
                }
                throw new JsonParseException(p, "the app list is neither an array nor has a 'data' array");
            }
            expect(p, t, JsonToken.START_ARRAY, "an array of apps");
            List<App> apps = appArray(p);
            end(p);
            return apps;
        }
    }

    private static List<App> appArray(JsonParser p) throws IOException {
        List<App> apps = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "an app object");
            String id = null;
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("id") && v.isScalarValue()) {
                    id = p.getValueAsString(); // numbers and strings alike
                } else if (field.equals("name") && v.isScalarValue()) {
                    name = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
            if (id == null) {
                throw new JsonParseException(p, "an app has no 'id'");
            }
            apps.add(new App(id, name));
        }
        return apps;
    }

    static long count(JsonFactory json, InputStream in) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "a count object");
            Long count = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("count") && t == JsonToken.VALUE_NUMBER_INT) {
                    count = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
            end(p);
            if (count == null) {
                throw new JsonParseException(p, "the answer has no numeric 'count'");
            }
            return count;
        }
    }

    static TokenResponse token(JsonFactory json, InputStream in) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "a token object");
            String access = null;
            String refresh = null;
            long expiresIn = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "access_token":
                        access = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "refresh_token":
                        refresh = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "expires_in":
                        expiresIn = t.isNumeric() ? saturatedLong(p) : t == JsonToken.VALUE_STRING ? parseLong(p.getText()) : -1;
                        break;
                    default:
                        p.skipChildren();
                }
            }
            end(p);
            if (access == null || access.isEmpty()) {
                throw new JsonParseException(p, "the token answer has no 'access_token'");
            }
            // Without expires_in, assume a short life: a needless refresh is cheaper than a 401.
            return new TokenResponse(access, Duration.ofSeconds(expiresIn > 0 ? expiresIn : 300), refresh);
        }
    }

    /** Best effort: an error body that is not the expected JSON still yields the status. */
    static ErrorAnswer error(JsonFactory json, int status, InputStream in) {
        String error = null;
        String description = null;
        if (in != null) {
            try (JsonParser p = json.createParser(in)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken t = p.nextToken();
                        if (name.equals("error") && t.isScalarValue()) {
                            error = p.getValueAsString();
                        } else if (name.equals("error_description") && t.isScalarValue()) {
                            description = p.getValueAsString();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // keep what was read
            }
        }
        return new ErrorAnswer(status, error, description);
    }

    /** A number as a long, Long.MAX_VALUE when larger (a huge {@code expires_in} is not an unreadable answer). */
    private static long saturatedLong(JsonParser p) throws IOException {
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? p.getLongValue()
                : (long) p.getDoubleValue(); // a cast saturates
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String textOrNull(JsonParser p, JsonToken t, String name) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new JsonParseException(p, "'" + name + "' must be a URL string or null");
        }
        String s = p.getText();
        return s.isEmpty() ? null : s;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(p, "expected " + what + ", found " + (actual == null ? "the end" : actual));
        }
    }

    /** Nothing may follow the value: trailing bytes mean a broken answer. */
    private static void end(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "unexpected content after the JSON value");
        }
    }
}
