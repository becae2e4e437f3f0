package io.fendersec.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Field by field, strings nullable. Alerts live in checkpoints (sink buffers): bump {@link Snapshot} on change. */
public final class AlertSerializer extends ImmutableSerializer<Alert> {
    private static final long serialVersionUID = 1L;

    public static final AlertSerializer INSTANCE = new AlertSerializer();

    @Override
    public Alert createInstance() {
        return Alert.builder().alertId("").ruleId("").title("").build();
    }

    @Override
    public void serialize(Alert a, DataOutputView out) throws IOException {
        writeString(a.alertId(), out);
        writeString(a.ruleId(), out);
        writeString(a.kind(), out);
        writeString(a.title(), out);
        writeString(a.severity(), out);
        writeString(a.app(), out);
        out.writeInt(a.group().size());
        for (Map.Entry<String, String> e : a.group().entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeLong(a.windowStartMillis());
        out.writeLong(a.windowEndMillis());
        out.writeLong(a.firstSeenMillis());
        out.writeLong(a.lastSeenMillis());
        out.writeLong(a.count());
        writeList(a.evidence(), out);
        writeString(a.device(), out);
        writeList(a.tags(), out);
        writeList(a.references(), out);
    }

    @Override
    public Alert deserialize(DataInputView in) throws IOException {
        Alert.Builder b = Alert.builder().alertId(readString(in)).ruleId(readString(in)).kind(readString(in))
                .title(readString(in)).severity(readString(in)).app(readString(in));
        int n = in.readInt();
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            group.put(readString(in), readString(in));
        }
        b.group(group);
        long ws = in.readLong();
        long we = in.readLong();
        long fs = in.readLong();
        long ls = in.readLong();
        return b.window(ws, we).seen(fs, ls).count(in.readLong()).evidence(readList(in)).device(readString(in))
                .tags(readList(in)).references(readList(in)).build();
    }

    private static void writeList(List<String> l, DataOutputView out) throws IOException {
        out.writeInt(l.size());
        for (String s : l) {
            writeString(s, out);
        }
    }

    private static List<String> readList(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(readString(in));
        }
        return l;
    }

    @Override
    public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Alert> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
