package io.fendersec.detect.correlate;

import java.io.IOException;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.ImmutableSerializer;

/** Two longs: the earliest waiting hit and the cleanup time ({@link GroupClock#NONE} for none). */
public final class GroupClockSerializer extends ImmutableSerializer<GroupClock> {
    private static final long serialVersionUID = 1L;

    public static final GroupClockSerializer INSTANCE = new GroupClockSerializer();

    @Override
    public GroupClock createInstance() {
        return GroupClock.EMPTY;
    }

    @Override
    public void serialize(GroupClock c, DataOutputView out) throws IOException {
        out.writeLong(c.firstWaiting());
        out.writeLong(c.cleanup());
    }

    @Override
    public GroupClock deserialize(DataInputView in) throws IOException {
        return new GroupClock(in.readLong(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<GroupClock> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupClock> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
