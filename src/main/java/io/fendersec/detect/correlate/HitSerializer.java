package io.fendersec.detect.correlate;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.AlertSerializer;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.ImmutableSerializer;

/**
 * Field by field; strings may be null. Hits live in correlation state, so the format is versioned
 * in the data: format 1 (the previous release's) starts with the target's length; a hit with
 * evidence logs is written in format 2, the int {@link #FORMAT_2} (negative: never a length of the
 * non-null target), format 1's fields, then the logs. A hit without logs keeps format 1's bytes.
 */
public final class HitSerializer extends ImmutableSerializer<Hit> {
    private static final long serialVersionUID = 1L;

    public static final HitSerializer INSTANCE = new HitSerializer();

    static final int FORMAT_2 = -2;

    @Override
    public Hit createInstance() {
        return new Hit("", "", null, Map.of(), 0, null, null, List.of());
    }

    @Override
    public void serialize(Hit h, DataOutputView out) throws IOException {
        boolean logs = !h.logs().isEmpty();
        if (logs) {
            out.writeInt(FORMAT_2);
        }
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
        if (logs) {
            AlertSerializer.writeLogs(h.logs(), out);
        }
    }

    @Override
    public Hit deserialize(DataInputView in) throws IOException {
        int first = in.readInt();
        boolean format2 = first == FORMAT_2;
        String target = SharedNames.of(format2 ? readString(in) : readString(first, in));
        String source = SharedNames.of(readString(in));
        String app = SharedNames.of(readString(in));
        int n = in.readInt();
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            group.put(SharedNames.of(readString(in)), readString(in));
        }
        long time = in.readLong();
        String value = readString(in);
        String device = readString(in);
        String[] ev = new String[in.readInt()];
        for (int i = 0; i < ev.length; i++) {
            ev[i] = readString(in);
        }
        // already immutable: the hit keeps it without another copy
        List<EvidenceLog> logs = format2 ? List.copyOf(AlertSerializer.readLogs(in)) : List.of();
        return new Hit(target, source, app, Hit.freeze(group), time, value, device, List.of(ev), logs, true);
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
