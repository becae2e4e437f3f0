package io.fendersec.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.flink.api.common.serialization.Encoder;

import io.fendersec.model.LogRecord;

/**
 * Makes every part file of a private archive owner-only (0600) before the first log goes into it.
 *
 * <p>Flink's local file system creates part files with the process umask (usually 0644) and offers
 * no hook to pass permissions. The encoder is the first code of ours that sees a new part file:
 * {@code FileSink} hands it the file's stream, still empty, with the first record. So on a stream it
 * has not seen before, it tightens every file of that record's bucket folder that group or others
 * may read. Committing a part file is a rename, which keeps the mode. The folders are already
 * 0700 ({@link ArchiveSink.ByApp}), so this is the second wall: a copied or moved file stays private.
 */
final class OwnerOnlyPartFiles implements Encoder<LogRecord> {
    private static final long serialVersionUID = 1L;
    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private final Encoder<LogRecord> encoder;
    private final String base;
    /** Part streams already tightened; weak, so a closed part file's stream is not kept alive. */
    private transient Set<OutputStream> seen;

    /** {@code base}: the archive folder on a local file system. */
    OwnerOnlyPartFiles(Encoder<LogRecord> encoder, String base) {
        this.encoder = encoder;
        this.base = base;
    }

    @Override
    public void encode(LogRecord log, OutputStream stream) throws IOException {
        if (seen == null) {
            seen = Collections.newSetFromMap(new WeakHashMap<>());
        }
        if (seen.add(stream)) {
            tighten(Paths.get(base).resolve(ArchiveSink.ByApp.bucketOf(log)), "sinks.archive");
        }
        encoder.encode(log, stream);
    }

    /** Sets 0600 on each regular file in {@code folder} that is not owner-only yet; {@code key} names the setting in errors. */
    static void tighten(Path folder, String key) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        if (!Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OWNER_READ_WRITE)) {
                            Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
                        }
                    } catch (NoSuchFileException committedMeanwhile) {
                        // another subtask's part file, renamed by its commit: its own writer tightened it
                    }
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            // e.g. Windows: files inherit their folder's ACL
        } catch (IOException e) {
            throw new UncheckedIOException(key + ".path: cannot make the part files in " + folder
                    + " owner-only (0600): " + e.getMessage() + "; or set " + key + ".permissions: umask", e);
        }
    }
}
