package io.fendersec.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import io.fendersec.model.LogRecord;

/**
 * The raw-log archive: JSON lines ({@link LogRecordJsonEncoder}) under {@code <path>/app=<id>/},
 * written by Flink's FileSink. Part files roll on every checkpoint and become visible (lose their
 * leading dot) only when that checkpoint completes, or at the end of a bounded input, so a restart
 * neither loses nor repeats a log. Hidden files ({@code .part-*}) are in progress: readers skip them.
 *
 * <p>The archive holds whatever apps leak (tokens, passwords, keys), so on a local file system
 * its folders are owner-only (0700) by default: the archive folder and each app's folder are
 * created that way (or tightened, if they exist) on the TaskManager before the first log goes in,
 * which keeps every file inside out of reach of group and others whatever the process umask.
 */
public final class ArchiveSink {
    private ArchiveSink() {}

    /** An owner-only archive at {@code path}. */
    public static FileSink<LogRecord> create(String path) {
        return create(path, true);
    }

    /** {@code privateFolders}: folders owner-only (0700); false leaves them to the process umask. */
    public static FileSink<LogRecord> create(String path, boolean privateFolders) {
        return FileSink.forRowFormat(new Path(path), new LogRecordJsonEncoder())
                .withBucketAssigner(new ByApp(privateFolders ? path : null))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("logs").withPartSuffix(".jsonl").build())
                .build();
    }

    /**
     * One folder per app, so an app's archive can be handed over or deleted alone. With a
     * private base path, each folder is made owner-only before the file sink writes into it:
     * the assigner runs in the writer, on the TaskManager, just before the bucket is opened.
     */
    static final class ByApp implements BucketAssigner<LogRecord, String> {
        private static final long serialVersionUID = 1L;
        static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

        /** The archive folder when its folders are kept private, else null. */
        private final String privateBase;
        private transient Set<String> prepared;

        ByApp(String privateBase) {
            this.privateBase = privateBase;
        }

        @Override
        public String getBucketId(LogRecord log, Context context) {
            String app = log.app();
            String bucket = "app=" + (app == null ? "unknown" : app.replaceAll("[^A-Za-z0-9._-]", "_"));
            if (privateBase != null) {
                if (prepared == null) {
                    prepared = new HashSet<>();
                }
                if (prepared.add(bucket)) {
                    ownerOnly(privateBase, bucket);
                }
            }
            return bucket;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }

        /** Creates (or tightens) the base folder and the bucket folder as 0700; only on local, POSIX file systems. */
        static void ownerOnly(String base, String bucket) {
            java.net.URI uri = new Path(base).toUri();
            if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
                return; // s3://, hdfs://: access is the storage's own policy
            }
            java.nio.file.Path root = Paths.get(uri.getPath());
            try {
                for (java.nio.file.Path dir : new java.nio.file.Path[] {root, root.resolve(bucket)}) {
                    try {
                        if (dir.getParent() != null) {
                            Files.createDirectories(dir.getParent());
                        }
                        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    } catch (FileAlreadyExistsException exists) {
                        // made earlier (or by another subtask): still owner-only
                    }
                    if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
                        Files.setPosixFilePermissions(dir, OWNER_ONLY);
                    }
                }
            } catch (UnsupportedOperationException notPosix) {
                // e.g. Windows: folders inherit their parent's ACL
            } catch (IOException e) {
                throw new UncheckedIOException("sinks.archive.path: cannot make " + root + " owner-only (0700): "
                        + e.getMessage() + "; or set sinks.archive.permissions: umask", e);
            }
        }
    }
}
