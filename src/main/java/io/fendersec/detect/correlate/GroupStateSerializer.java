package io.fendersec.detect.correlate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.ImmutableSerializer;

/**
 * Keyed state of the correlation operator: a format number, the pending hits, then each rule's
 * id and {@link KeyState} (written by {@link KeyStateSerializer}, which versions its own format).
 * {@link GroupState} is mutable, so copies go through a serialization round trip.
 */
public final class GroupStateSerializer extends MutableStateSerializer<GroupState> {
    private static final long serialVersionUID = 1L;

    public static final GroupStateSerializer INSTANCE = new GroupStateSerializer();

    static final int FORMAT_1 = 1;

    @Override
    public GroupState createInstance() {
        return new GroupState();
    }

    @Override
    public void serialize(GroupState s, DataOutputView out) throws IOException {
        out.writeInt(FORMAT_1);
        out.writeInt(s.pending.size());
        for (GroupHits g : s.pending) {
            GroupHitsSerializer.INSTANCE.serialize(g, out);
        }
        out.writeInt(s.rules.size());
        for (Map.Entry<String, KeyState> e : s.rules.entrySet()) {
            ImmutableSerializer.writeString(e.getKey(), out);
            KeyStateSerializer.INSTANCE.serialize(e.getValue(), out);
        }
    }

    @Override
    public GroupState deserialize(DataInputView in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT_1) {
            throw new IOException("unknown correlation state format " + format);
        }
        int n = in.readInt();
        List<GroupHits> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(GroupHitsSerializer.INSTANCE.deserialize(in));
        }
        int m = in.readInt();
        Map<String, KeyState> rules = new TreeMap<>();
        for (int i = 0; i < m; i++) {
            rules.put(ImmutableSerializer.readString(in), KeyStateSerializer.INSTANCE.deserialize(in));
        }
        return new GroupState(pending, rules);
    }

    @Override
    public TypeSerializerSnapshot<GroupState> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
