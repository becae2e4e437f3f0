package io.fendersec.detect.reload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The rule watch source's one split: watching the job's rule files. Its state is the digest of
 * the last snapshot the source emitted (empty before the first), so a restored source emits again
 * only when the files differ from the rules the restored operators hold.
 */
public record RuleWatchSplit(String lastDigest) implements SourceSplit {
    static final String ID = "rule-watch";

    @Override
    public String splitId() {
        return ID;
    }

    /** Version 1: the digest as UTF. */
    static final class Serializer implements SimpleVersionedSerializer<RuleWatchSplit> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(RuleWatchSplit split) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeUTF(split.lastDigest());
            }
            return b.toByteArray();
        }

        @Override
        public RuleWatchSplit deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException("rule watch split version " + version + " is not known to this release");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                return new RuleWatchSplit(in.readUTF());
            }
        }
    }
}
