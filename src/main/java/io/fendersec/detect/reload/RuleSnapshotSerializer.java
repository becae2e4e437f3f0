package io.fendersec.detect.reload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.model.ImmutableSerializer;

/**
 * A format version, the digest, then each entry: kind (by name), name, text. Texts are written
 * with a length prefix (a rule file may exceed writeUTF's 64 KiB). An unknown kind (a checkpoint
 * of a newer release) is an error naming it, not a silent drop.
 */
public final class RuleSnapshotSerializer extends ImmutableSerializer<RuleSnapshot> {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;

    public static final RuleSnapshotSerializer INSTANCE = new RuleSnapshotSerializer();

    @Override
    public RuleSnapshot createInstance() {
        return RuleSnapshot.of("", List.of());
    }

    @Override
    public void serialize(RuleSnapshot s, DataOutputView out) throws IOException {
        out.writeInt(FORMAT);
        writeString(s.digest(), out);
        out.writeInt(s.entries().size());
        for (RuleSnapshot.Entry e : s.entries()) {
            writeString(e.kind().name(), out);
            writeString(e.name(), out);
            writeString(e.text(), out);
        }
    }

    @Override
    public RuleSnapshot deserialize(DataInputView in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("rule snapshot format " + format + " is not known to this release (knows " + FORMAT + ")");
        }
        String digest = readString(in);
        int n = in.readInt();
        List<RuleSnapshot.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String kind = readString(in);
            RuleSnapshot.Kind k;
            try {
                k = RuleSnapshot.Kind.valueOf(kind);
            } catch (IllegalArgumentException e) {
                throw new IOException("rule snapshot entry of unknown kind '" + kind + "'", e);
            }
            entries.add(new RuleSnapshot.Entry(k, readString(in), readString(in)));
        }
        return new RuleSnapshot(entries, digest);
    }

    @Override
    public TypeSerializerSnapshot<RuleSnapshot> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleSnapshot> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
