package io.fendersec.model;

import java.io.IOException;
import java.util.Map;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes a {@link LogRecord} as its field count and then, per field, the name, a one-byte
 * type tag and the value. Records are immutable, so copies are the record itself.
 *
 * <p>The format is versioned through {@link Snapshot}: a change to the tags or layout must bump
 * the snapshot version and keep reading the old one, since log records live in checkpoints.
 */
public final class LogRecordSerializer extends TypeSerializerSingleton<LogRecord> {
    private static final long serialVersionUID = 1L;

    public static final LogRecordSerializer INSTANCE = new LogRecordSerializer();

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte TRUE = 4;
    private static final byte FALSE = 5;
    private static final byte RAW_JSON = 6;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public LogRecord createInstance() {
        return LogRecord.builder().build();
    }

    @Override
    public LogRecord copy(LogRecord from) {
        return from;
    }

    @Override
    public LogRecord copy(LogRecord from, LogRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(LogRecord record, DataOutputView out) throws IOException {
        Map<String, Object> fields = record.fields();
        out.writeInt(fields.size());
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.writeUTF(e.getKey());
            writeValue(e.getValue(), out);
        }
    }

    private static void writeValue(Object v, DataOutputView out) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String) {
            out.writeByte(STRING);
            writeLongString((String) v, out);
        } else if (v instanceof Long) {
            out.writeByte(LONG);
            out.writeLong((Long) v);
        } else if (v instanceof Double) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) v);
        } else if (v instanceof Boolean) {
            out.writeByte((Boolean) v ? TRUE : FALSE);
        } else if (v instanceof RawJson) {
            out.writeByte(RAW_JSON);
            writeLongString(((RawJson) v).json(), out);
        } else {
            throw new IOException("unsupported value type " + v.getClass().getName());
        }
    }

    @Override
    public LogRecord deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        LogRecord.Builder b = LogRecord.builder();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            b.put(name, readValue(in));
        }
        return b.build();
    }

    private static Object readValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return readLongString(in);
            case LONG:
                return in.readLong();
            case DOUBLE:
                return in.readDouble();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case RAW_JSON:
                return new RawJson(readLongString(in));
            default:
                throw new IOException("corrupt LogRecord: unknown value tag " + tag);
        }
    }

    /** writeUTF is limited to 64 KiB; log texts (stack traces, payloads) can be longer. */
    private static void writeLongString(String s, DataOutputView out) throws IOException {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLongString(DataInputView in) throws IOException {
        int len = in.readInt();
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public LogRecord deserialize(LogRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<LogRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot, public with a no-arg constructor as Flink requires. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LogRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
