package io.fendersec.source.split;

import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Splits in checkpoints and savepoints. Version 1 layout: split id, query ({@link Codec#writeQuery}),
 * bounded, url, offset, inTail, tailUrl. A later version must keep {@link #deserialize} able to read
 * version 1: savepoints outlive code (the test {@code BugfenderSplitSerializerTest} reads a frozen
 * v1 fixture).
 */
public final class BugfenderSplitSerializer implements SimpleVersionedSerializer<BugfenderSplit> {

    public static final BugfenderSplitSerializer INSTANCE = new BugfenderSplitSerializer();

    static final int VERSION_1 = 1;
    private static final int CURRENT = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT;
    }

    @Override
    public byte[] serialize(BugfenderSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        write(out, split);
        return out.getCopyOfBuffer();
    }

    @Override
    public BugfenderSplit deserialize(int version, byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        BugfenderSplit split = read(version, in);
        if (in.available() > 0) {
            throw new IOException("corrupt split state: " + in.available() + " bytes left over (version " + version + ")");
        }
        return split;
    }

    /** Writes the current version's layout (embedded by the enumerator-state serializer). */
    public static void write(DataOutputView out, BugfenderSplit split) throws IOException {
        Codec.writeString(out, split.splitId());
        Codec.writeQuery(out, split.query());
        out.writeBoolean(split.bounded());
        Codec.writeString(out, split.url());
        out.writeInt(split.offset());
        out.writeBoolean(split.inTail());
        Codec.writeString(out, split.tailUrl());
    }

    public static BugfenderSplit read(int version, DataInputView in) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown split serializer version " + version + " (this build reads 1.." + CURRENT + ")");
        }
        String id = Codec.readString(in);
        var query = Codec.readQuery(in);
        boolean bounded = in.readBoolean();
        String url = Codec.readString(in);
        int offset = in.readInt();
        boolean inTail = in.readBoolean();
        String tailUrl = Codec.readString(in);
        return new BugfenderSplit(id, query, bounded, url, offset, inTail, tailUrl);
    }
}
