package io.fendersec.detect.correlate;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.ImmutableSerializer;

/** Field by field; strings may be null. Version 1 (see {@link Snapshot}). */
public final class HitSerializer extends ImmutableSerializer<Hit> {
    private static final long serialVersionUID = 1L;

    public static final HitSerializer INSTANCE = new HitSerializer();

    @Override
    public Hit createInstance() {
        return new Hit("", "", null, Map.of(), 0, null, null, List.of());
    }

    @Override
    public void serialize(Hit h, DataOutputView out) throws IOException {
        writeString(h.target(), out);
        writeString(h.source(), out);
        writeString(h.app(), out);
        out.writeInt(h.group().size());
        for (Map.Entry<String, String> e : h.group().entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeLong(h.time());
        writeString(h.value(), out);
        writeString(h.device(), out);
        out.writeInt(h.evidence().size());
        for (String s : h.evidence()) {
            writeString(s, out);
        }
    }

    @Override
    public Hit deserialize(DataInputView in) throws IOException {
        String target = readString(in);
        String source = readString(in);
        String app = readString(in);
        int n = in.readInt();
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            group.put(readString(in), readString(in));
        }
        long time = in.readLong();
        String value = readString(in);
        String device = readString(in);
        String[] ev = new String[in.readInt()];
        for (int i = 0; i < ev.length; i++) {
            ev[i] = readString(in);
        }
        // already immutable: the hit keeps it without another copy
        return new Hit(target, source, app, group, time, value, device, List.of(ev));
    }

    @Override
    public TypeSerializerSnapshot<Hit> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Hit> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
