package io.fendersec.model;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One Bugfender log as the API returned it: every field, in the API's order and under the API's
 * names, unknown ones included, so that an archive writes back exactly what was read.
 *
 * <p>Values are {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link RawJson}
 * (a nested object or array) or {@code null} (an explicit JSON null). The few fields that the
 * pipeline needs on every record (uuid, app, device, time) have typed accessors; the device
 * {@code time} is parsed once, here, because it is every record's event time.
 *
 * <p>Immutable. Serialized by {@link LogRecordSerializer}, never by Kryo.
 */
@TypeInfo(LogRecordTypeInfoFactory.class)
public final class LogRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> fields;
    private final Instant time;

    private LogRecord(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
        this.time = parseTime(fields.get(LogFields.TIME));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Copies {@code fields}, normalizing numbers to Long or Double. */
    public static LogRecord of(Map<String, ?> fields) {
        Builder b = builder();
        fields.forEach(b::put);
        return b.build();
    }

    /** All fields in the order the API gave them. */
    public Map<String, Object> fields() {
        return fields;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The field as text: strings as they are, numbers and booleans printed, null when absent. */
    public String getString(String field) {
        Object v = fields.get(field);
        return v == null ? null : v.toString();
    }

    public String uuid() {
        return getString(LogFields.UUID);
    }

    /** The app id, always as a string (the API gives numbers or strings). */
    public String app() {
        return getString(LogFields.APP);
    }

    public String deviceUdid() {
        return getString(LogFields.DEVICE_UDID);
    }

    public String text() {
        return getString(LogFields.TEXT);
    }

    /** Bugfender's numeric level, or -1 when absent or not a number. */
    public int logLevel() {
        Object v = fields.get(LogFields.LOG_LEVEL);
        if (v instanceof Long) {
            return (int) (long) (Long) v;
        }
        if (v instanceof String) {
            try {
                return Integer.parseInt((String) v);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The device time, or null when the record has none, it is not RFC 3339, or it lies beyond epoch milliseconds. */
    public Instant time() {
        return time;
    }

    /** Orders logs that share a {@code time}; 0 when absent. */
    public long absoluteTime() {
        Object v = fields.get(LogFields.ABSOLUTE_TIME);
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double) {
            return (long) (double) (Double) v;
        }
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static Instant parseTime(Object v) {
        if (!(v instanceof String)) {
            return null;
        }
        Instant t = Rfc3339.parse((String) v);
        try {
            if (t != null) {
                t.toEpochMilli(); // event time is epoch millis: a time beyond them is as unusable as garbage
            }
            return t;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord && ((LogRecord) o).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Identifies the record without printing its text, which may hold what the app leaked. */
    @Override
    public String toString() {
        return "LogRecord{uuid=" + uuid() + ", app=" + app() + ", time=" + getString(LogFields.TIME) + "}";
    }

    /**
     * Builds a record field by field, keeping insertion order. {@link #build} hands its map to the
     * record instead of copying it (a copy per log was a tenth of page parsing); a builder used
     * again after {@code build} copies first, so a built record never changes.
     */
    public static final class Builder {
        /** Room for a Bugfender log's ~25 fields without rehashing. */
        private static final int CAPACITY = 64;
        private LinkedHashMap<String, Object> fields = new LinkedHashMap<>(CAPACITY);
        private boolean handedOver;

        private Builder() {}

        public Builder put(String name, Object value) {
            if (handedOver) {
                fields = new LinkedHashMap<>(fields);
                handedOver = false;
            }
            fields.put(Objects.requireNonNull(name, "field name"), normalize(name, value));
            return this;
        }

        public LogRecord build() {
            handedOver = true;
            return new LogRecord(fields);
        }

        private static Object normalize(String name, Object v) {
            if (v == null || v instanceof String || v instanceof Long || v instanceof Double
                    || v instanceof Boolean || v instanceof RawJson) {
                return v;
            }
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            if (v instanceof Float) {
                return ((Float) v).doubleValue();
            }
            if (v instanceof BigInteger) {
                BigInteger b = (BigInteger) v;
                return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
            }
            if (v instanceof BigDecimal) {
                return ((BigDecimal) v).doubleValue();
            }
            throw new IllegalArgumentException(
                    "field '" + name + "' has a value of unsupported type " + v.getClass().getName());
        }
    }
}
