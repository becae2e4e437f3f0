package io.fendersec.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;

import io.fendersec.model.Alert;

/**
 * Keeps the alert files of a {@code type: file} sink owner-only (folders 0700, part files 0600)
 * whatever the process umask: alerts name accounts, devices and addresses, and with
 * {@code evidence: logs} carry log text. Flink's local file system offers no hook for modes, so, as
 * for the archive ({@link OwnerOnlyPartFiles}): the bucket assigner makes each new bucket folder
 * 0700 before Flink writes into it, and the encoder, on a part file's stream it has not seen (it
 * gets it still empty with the first alert), makes that bucket's files 0600.
 *
 * <p>Flink's file writer asks the assigner for an alert's bucket and then hands the alert to the
 * encoder, on the same task thread; the assigner leaves the bucket in a thread-local for the
 * encoder, which has no other way to know which folder its stream is in.
 */
final class OwnerOnlyAlertFiles {
    private OwnerOnlyAlertFiles() {}

    private static final ThreadLocal<String> CURRENT_BUCKET = new ThreadLocal<>();

    /** Hourly buckets as Flink's default ({@link DateTimeBucketAssigner}), each made 0700 when new. */
    static final class Buckets implements BucketAssigner<Alert, String> {
        private static final long serialVersionUID = 1L;
        private final DateTimeBucketAssigner<Alert> hourly = new DateTimeBucketAssigner<>();
        private final String base;
        private transient Set<String> made;

        Buckets(String base) {
            this.base = base;
        }

        @Override
        public String getBucketId(Alert alert, Context context) {
            String bucket = hourly.getBucketId(alert, context);
            if (made == null) {
                made = new HashSet<>();
            }
            if (made.add(bucket)) {
                ArchiveSink.ByApp.ownerOnly(base, bucket, "sinks.alerts (type: file)");
            }
            CURRENT_BUCKET.set(bucket);
            return bucket;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return hourly.getSerializer();
        }
    }

    /** Makes the files of the bucket a new part stream belongs to 0600 before the first alert goes in. */
    static final class Files implements Encoder<Alert> {
        private static final long serialVersionUID = 1L;
        private final Encoder<Alert> encoder;
        private final String base;
        private transient Set<OutputStream> seen;

        Files(Encoder<Alert> encoder, String base) {
            this.encoder = encoder;
            this.base = base;
        }

        @Override
        public void encode(Alert alert, OutputStream stream) throws IOException {
            if (seen == null) {
                seen = Collections.newSetFromMap(new WeakHashMap<>());
            }
            String bucket = CURRENT_BUCKET.get();
            if (seen.add(stream) && bucket != null) {
                OwnerOnlyPartFiles.tighten(Paths.get(new org.apache.flink.core.fs.Path(base).toUri().getPath()).resolve(bucket),
                        "sinks.alerts (type: file)");
            }
            encoder.encode(alert, stream);
        }
    }
}
