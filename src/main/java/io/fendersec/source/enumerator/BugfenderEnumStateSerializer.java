package io.fendersec.source.enumerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.fendersec.api.LogQuery;
import io.fendersec.source.split.BugfenderSplit;
import io.fendersec.source.split.BugfenderSplitSerializer;
import io.fendersec.source.split.Codec;

/**
 * Enumerator state in checkpoints. Version 1 layout: initialDiscoveryDone, known apps (count +
 * strings, sorted), pending queries (count + {@link Codec#writeQuery}), unassigned splits (the split
 * serializer's version, then count + splits in that version's layout). Embedding the split version
 * lets the split format evolve without a new enumerator-state version.
 */
public final class BugfenderEnumStateSerializer implements SimpleVersionedSerializer<BugfenderEnumState> {

    private static final int VERSION_1 = 1;

    @Override
    public int getVersion() {
        return VERSION_1;
    }

    @Override
    public byte[] serialize(BugfenderEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        out.writeBoolean(state.initialDiscoveryDone());
        out.writeInt(state.knownApps().size());
        for (String app : new TreeSet<>(state.knownApps())) {
            Codec.writeString(out, app);
        }
        out.writeInt(state.pendingQueries().size());
        for (LogQuery q : state.pendingQueries()) {
            Codec.writeQuery(out, q);
        }
        out.writeInt(BugfenderSplitSerializer.INSTANCE.getVersion());
        out.writeInt(state.unassignedSplits().size());
        for (BugfenderSplit s : state.unassignedSplits()) {
            BugfenderSplitSerializer.write(out, s);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public BugfenderEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown enumerator state version " + version + " (this build reads 1)");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        boolean done = in.readBoolean();
        Set<String> apps = new TreeSet<>();
        for (int i = in.readInt(); i > 0; i--) {
            apps.add(Codec.readString(in));
        }
        List<LogQuery> pending = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            pending.add(Codec.readQuery(in));
        }
        int splitVersion = in.readInt();
        List<BugfenderSplit> splits = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            splits.add(BugfenderSplitSerializer.read(splitVersion, in));
        }
        if (in.available() > 0) {
            throw new IOException("corrupt enumerator state: " + in.available() + " bytes left over");
        }
        return new BugfenderEnumState(done, apps, pending, splits);
    }
}
