package io.fendersec.detect.normalize;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.ImmutableSerializer;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordSerializer;

/** The record as {@link LogRecordSerializer} writes it, then the extracted fields as name/value pairs. */
public final class NormalizedLogSerializer extends ImmutableSerializer<NormalizedLog> {
    private static final long serialVersionUID = 1L;

    public static final NormalizedLogSerializer INSTANCE = new NormalizedLogSerializer();

    @Override
    public NormalizedLog createInstance() {
        return new NormalizedLog(LogRecord.builder().build(), Map.of());
    }

    @Override
    public void serialize(NormalizedLog log, DataOutputView out) throws IOException {
        LogRecordSerializer.INSTANCE.serialize(log.record(), out);
        out.writeInt(log.extracted().size());
        for (Map.Entry<String, String> e : log.extracted().entrySet()) {
            out.writeUTF(e.getKey());
            writeString(e.getValue(), out);
        }
    }

    @Override
    public NormalizedLog deserialize(DataInputView in) throws IOException {
        LogRecord r = LogRecordSerializer.INSTANCE.deserialize(in);
        int n = in.readInt();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readUTF(), readString(in));
        }
        return new NormalizedLog(r, m);
    }

    @Override
    public TypeSerializerSnapshot<NormalizedLog> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NormalizedLog> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
