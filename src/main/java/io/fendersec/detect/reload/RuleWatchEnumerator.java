package io.fendersec.detect.reload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Hands the one {@link RuleWatchSplit} to the source's reader (parallelism 1), and takes it back
 * when that reader fails. Its checkpoint is the split when no reader holds it.
 */
final class RuleWatchEnumerator implements SplitEnumerator<RuleWatchSplit, List<RuleWatchSplit>> {
    private final SplitEnumeratorContext<RuleWatchSplit> ctx;
    private final List<RuleWatchSplit> unassigned;

    RuleWatchEnumerator(SplitEnumeratorContext<RuleWatchSplit> ctx, List<RuleWatchSplit> unassigned) {
        this.ctx = ctx;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<RuleWatchSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        assign();
    }

    @Override
    public void addReader(int subtaskId) {
        assign();
    }

    private void assign() {
        if (unassigned.isEmpty() || ctx.registeredReaders().isEmpty()) {
            return;
        }
        int reader = ctx.registeredReaders().keySet().iterator().next();
        ctx.assignSplits(new org.apache.flink.api.connector.source.SplitsAssignment<>(
                java.util.Map.of(reader, List.copyOf(unassigned))));
        unassigned.clear();
    }

    @Override
    public List<RuleWatchSplit> snapshotState(long checkpointId) {
        return List.copyOf(unassigned);
    }

    @Override
    public void close() {}

    /** Version 1: a count, then each split's digest. */
    static final class StateSerializer implements SimpleVersionedSerializer<List<RuleWatchSplit>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<RuleWatchSplit> splits) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeInt(splits.size());
                for (RuleWatchSplit s : splits) {
                    out.writeUTF(s.lastDigest());
                }
            }
            return b.toByteArray();
        }

        @Override
        public List<RuleWatchSplit> deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException("rule watch enumerator state version " + version + " is not known to this release");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                int n = in.readInt();
                List<RuleWatchSplit> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(new RuleWatchSplit(in.readUTF()));
                }
                return out;
            }
        }
    }
}
