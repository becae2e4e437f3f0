package io.fendersec.source.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which paths of the archive folder are read. The archive sink writes {@code app=<id>/logs-*.jsonl};
 * names starting with '.' or '_' are part files still in progress (or a file system's own), never
 * read. Besides {@code .jsonl}, a {@code .jsonl.gz} copy (an archive compressed in place by an
 * operator) is read through Flink's decompressor; one whose gzip header is unreadable is skipped
 * with a warning naming it, since Flink would fail the whole job while opening it. Other files
 * (notes, checksums) are not logs and are left alone.
 *
 * <p>Runs in the split enumerator, on the JobManager, once per path it lists (folders included).
 */
final class ArchiveFiles implements Predicate<Path>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFiles.class);

    @Override
    public boolean test(Path path) {
        String name = path.getName();
        if (name.startsWith(".") || name.startsWith("_")) {
            return false;
        }
        try {
            FileSystem fs = path.getFileSystem();
            FileStatus status = fs.getFileStatus(path);
            if (status.isDir()) {
                return true;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".jsonl")) {
                return true;
            }
            if (lower.endsWith(".jsonl.gz")) {
                return gzipHeaderReadable(fs, path);
            }
            return false;
        } catch (IOException e) {
            LOG.warn("archive: skipped {}: cannot read it ({})", path, e.getMessage());
            return false;
        }
    }

    private static boolean gzipHeaderReadable(FileSystem fs, Path path) {
        try (InputStream in = fs.open(path); GZIPInputStream gz = new GZIPInputStream(in)) {
            return true;
        } catch (IOException e) {
            LOG.warn("archive: skipped {}: not a readable gzip file ({})", path, e.getMessage());
            return false;
        }
    }
}
