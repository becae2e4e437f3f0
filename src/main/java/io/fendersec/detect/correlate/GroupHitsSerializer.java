package io.fendersec.detect.correlate;

import java.io.IOException;
import java.util.ArrayList;
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
 * Field by field; strings may be null. Pending hits live in correlation state, so the format is
 * versioned in the data: format 1 (the previous release's) starts with the stage (at least 1);
 * hits with evidence logs are written in format 2, the int {@link #FORMAT_2}, format 1's fields,
 * then the logs. Hits without logs keep format 1's bytes.
 */
public final class GroupHitsSerializer extends ImmutableSerializer<GroupHits> {
    private static final long serialVersionUID = 1L;

    public static final GroupHitsSerializer INSTANCE = new GroupHitsSerializer();

    static final int FORMAT_2 = -2;

    @Override
    public GroupHits createInstance() {
        return new GroupHits(1, null, Map.of(), 0, null, List.of(), List.of(new GroupHits.Target("", "", null)));
    }

    @Override
    public void serialize(GroupHits g, DataOutputView out) throws IOException {
        boolean logs = !g.logs().isEmpty();
        if (logs) {
            out.writeInt(FORMAT_2);
        }
        out.writeInt(g.stage());
        writeString(g.app(), out);
        out.writeInt(g.group().size());
        for (Map.Entry<String, String> e : g.group().entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeLong(g.time());
        writeString(g.device(), out);
        out.writeInt(g.evidence().size());
        for (String s : g.evidence()) {
            writeString(s, out);
        }
        out.writeInt(g.targets().size());
        for (GroupHits.Target t : g.targets()) {
            writeString(t.target(), out);
            writeString(t.source(), out);
            writeString(t.value(), out);
        }
        if (logs) {
            AlertSerializer.writeLogs(g.logs(), out);
        }
    }

    @Override
    public GroupHits deserialize(DataInputView in) throws IOException {
        int first = in.readInt();
        boolean format2 = first == FORMAT_2;
        int stage = format2 ? in.readInt() : first;
        String app = SharedNames.of(readString(in));
        int n = in.readInt();
        Map<String, String> group = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            group.put(SharedNames.of(readString(in)), readString(in));
        }
        long time = in.readLong();
        String device = readString(in);
        int m = in.readInt();
        List<String> ev = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            ev.add(readString(in));
        }
        int k = in.readInt();
        List<GroupHits.Target> targets = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            // target and source are rule ids; the third, the counted value, is the log's
            targets.add(new GroupHits.Target(SharedNames.of(readString(in)), SharedNames.of(readString(in)),
                    readString(in)));
        }
        List<EvidenceLog> logs = format2 ? AlertSerializer.readLogs(in) : List.of();
        return new GroupHits(stage, app, group, time, device, ev, logs, targets);
    }

    @Override
    public TypeSerializerSnapshot<GroupHits> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupHits> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
