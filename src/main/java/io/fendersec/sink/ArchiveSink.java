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

import org.apache.flink.api.common.serialization.Encoder;
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
 * it is owner-only by default: the archive folder and each app's folder are created 0700 (or
 * tightened, if they exist) on the TaskManager before the first log goes in, and each part file is
 * made 0600 before its first log ({@link OwnerOnlyPartFiles}), whatever the process umask.
 */
public final class ArchiveSink {
    private ArchiveSink() {}

    /** An owner-only archive at {@code path}. */
    public static FileSink<LogRecord> create(String path) {
        return create(path, true);
    }

    /**
     * {@code ownerOnly}: folders 0700 and files 0600 on a local file system; false leaves both to
     * the process umask.
     */
    public static FileSink<LogRecord> create(String path, boolean ownerOnly) {
        boolean local = ownerOnly && isLocal(path);
        Encoder<LogRecord> encoder = local
                ? new OwnerOnlyPartFiles(new LogRecordJsonEncoder(), new Path(path).toUri().getPath())
                : new LogRecordJsonEncoder();
        return FileSink.forRowFormat(new Path(path), encoder)
                .withBucketAssigner(new ByApp(local ? path : null))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("logs").withPartSuffix(".jsonl").build())
                .build();
    }

    /** A path on the local file system; s3://, hdfs:// and the like keep the storage's own access policy. */
    static boolean isLocal(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme == null || "file".equals(scheme);
    }

    /**
     * One folder per app, so an app's archive can be handed over or deleted alone. With a
     * private base path, each folder is made owner-only before the file sink writes into it:
     * the assigner runs in the writer, on the TaskManager, just before the bucket is opened.
     */
    static final class ByApp implements BucketAssigner<LogRecord, String> {
        private static final long serialVersionUID = 1L;
        static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
        /** Compiled once: every archived log's app id goes through it. */
        private static final java.util.regex.Pattern NOT_IN_A_FOLDER_NAME = java.util.regex.Pattern.compile("[^A-Za-z0-9._-]");

        /** The archive folder when its folders are kept private, else null. */
        private final String privateBase;
        private transient Set<String> prepared;

        ByApp(String privateBase) {
            this.privateBase = privateBase;
        }

        /** The folder of {@code log}'s app: {@code app=<id>}, any character outside [A-Za-z0-9._-] as '_'. */
        static String bucketOf(LogRecord log) {
            String app = log.app();
            return "app=" + (app == null ? "unknown" : NOT_IN_A_FOLDER_NAME.matcher(app).replaceAll("_"));
        }

        @Override
        public String getBucketId(LogRecord log, Context context) {
            String bucket = bucketOf(log);
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

        /** Creates (or tightens) the base folder and the bucket folder as 0700; only on POSIX file systems. */
        static void ownerOnly(String base, String bucket) {
            ownerOnly(base, bucket, "sinks.archive");
        }

        /** As {@link #ownerOnly(String, String)}; {@code key} names the setting in errors. */
        static void ownerOnly(String base, String bucket, String key) {
            java.nio.file.Path root = Paths.get(new Path(base).toUri().getPath());
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
                throw new UncheckedIOException(key + ".path: cannot make " + root + " owner-only (0700): "
                        + e.getMessage() + "; or set " + key + ".permissions: umask", e);
            }
        }
    }
}
