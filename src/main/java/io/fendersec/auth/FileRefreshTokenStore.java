package io.fendersec.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

import io.fendersec.error.ConfigException;

/**
 * A refresh token in a file, replaced atomically: the new token goes to a temporary file in the
 * same folder (mode 0600 from its creation, so it is never readable by others, not even briefly),
 * is forced to disk, then renamed over the old file, and the folder is forced too so the rename
 * itself survives a power cut. At every instant the file holds either the old or the new token,
 * whole.
 */
public final class FileRefreshTokenStore implements RefreshTokenStore {
    public static final String KEY = "source.auth.refresh-token-file";

    private final Path file;

    public FileRefreshTokenStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    @Override
    public String read() {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new ConfigException(KEY + ": " + file + " does not exist; create it with `fendersec login JOB.yaml`");
        } catch (IOException e) {
            throw new ConfigException(KEY + ": " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (token.isEmpty()) {
            throw new ConfigException(KEY + ": " + file + " is empty; create it with `fendersec login JOB.yaml`");
        }
        return token;
    }

    @Override
    public void save(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("refusing to store an empty refresh token");
        }
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            move(tmp, file);
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new ConfigException(KEY + ": cannot save the new refresh token to " + file + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file holds a token but is 0600 like the real one
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this only happens on exotic file systems; still better than failing.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    /** Makes the rename durable; Linux allows fsync on a directory opened for reading, others may not. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows): the rename is still atomic
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public String toString() {
        return "FileRefreshTokenStore{" + file + "}";
    }
}
