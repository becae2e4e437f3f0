package io.fendersec.source.split;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Splits in checkpoints and savepoints. Version 1 layout: split id, query ({@link Codec#writeQuery}),
 * bounded, url, offset, inTail, tailUrl. Version 2 (newest-first reading): split id, query, bounded,
 * url? (nullable), offset, inTail, tailUrl, newestFirst, seen (count + strings, sorted). Every later
 * version must keep {@link #deserialize} able to read the earlier ones: savepoints outlive code (the
 * test {@code BugfenderSplitSerializerTest} reads frozen v1 and v2 fixtures).
 */
public final class BugfenderSplitSerializer implements SimpleVersionedSerializer<BugfenderSplit> {

    public static final BugfenderSplitSerializer INSTANCE = new BugfenderSplitSerializer();

    static final int VERSION_1 = 1;
    static final int VERSION_2 = 2;
    private static final int CURRENT = VERSION_2;

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
        Codec.writeNullableString(out, split.url());
        out.writeInt(split.offset());
        out.writeBoolean(split.inTail());
        Codec.writeString(out, split.tailUrl());
        out.writeBoolean(split.newestFirst());
        out.writeInt(split.seen().size());
        for (String uuid : split.seen()) { // sorted by the split
            Codec.writeString(out, uuid);
        }
    }

    public static BugfenderSplit read(int version, DataInputView in) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw new IOException("unknown split serializer version " + version + " (this build reads 1.." + CURRENT + ")");
        }
        String id = Codec.readString(in);
        var query = Codec.readQuery(in);
        boolean bounded = in.readBoolean();
        String url = version == VERSION_1 ? Codec.readString(in) : Codec.readNullableString(in);
        int offset = in.readInt();
        boolean inTail = in.readBoolean();
        String tailUrl = Codec.readString(in);
        if (version == VERSION_1) {
            return new BugfenderSplit(id, query, bounded, url, offset, inTail, tailUrl);
        }
        boolean newestFirst = in.readBoolean();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt split state: negative count of seen logs " + n);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(Codec.readString(in));
        }
        try {
            return new BugfenderSplit(id, query, bounded, url, offset, inTail, tailUrl, newestFirst, seen);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt split state: " + e.getMessage(), e);
        }
    }
}
