package io.fendersec.detect.enrich;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

import io.fendersec.detect.files.TextFiles;
import io.fendersec.error.ConfigException;

/**
 * One {@code enrich.lookups} entry as written, without its rows: where the table is and how it is
 * joined. What travels with a continuous job that watches its lookup files, so that a changed
 * file's text can be turned into a {@link Lookup} wherever it arrives ({@link #parse}). Immutable.
 *
 * @param path      the file, absolute
 * @param keyField  the log field looked up ({@code key})
 * @param prefix    the prefix of the joined fields
 * @param keyColumn the key column's name ({@code key-column}), or null for the first column
 */
public record LookupFile(String path, String keyField, String prefix, String keyColumn, KeyMatch match,
                         LookupFormat format) implements Serializable {
    /** Largest lookup file read, in bytes (each task keeps the table in memory). */
    public static final long MAX_BYTES = LookupTable.MAX_CHARS;

    public LookupFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(keyField, "keyField");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(format, "format");
    }

    /**
     * The lookup of this file's {@code text}.
     *
     * @param name the table's name in errors and descriptions ({@code vip.csv line 7: ...})
     * @throws TableException naming the file and line of the first problem
     */
    public Lookup parse(String name, String text) {
        return new Lookup(keyField, prefix, LookupTable.parse(name, text, format, keyColumn, match));
    }

    /** The file's text now. @throws ConfigException naming the file when it cannot be read */
    public String read() {
        return readText(Path.of(path));
    }

    /**
     * A lookup file's text (UTF-8): a regular file of at most {@link #MAX_BYTES}, read through a
     * stream that stops past the cap ({@link TextFiles}), so {@code /dev/zero} (size 0, endless) or
     * a pipe is refused at once instead of filling the heap.
     */
    public static String readText(Path file) {
        try {
            return TextFiles.read(file, MAX_BYTES, "lookup file",
                    "keep only the rows rules need (each task keeps the table in memory)");
        } catch (CharacterCodingException x) {
            throw new ConfigException(file.getFileName() + " is not UTF-8 text");
        } catch (NoSuchFileException x) {
            throw new ConfigException("no file " + file);
        } catch (IOException x) {
            throw new ConfigException("cannot read " + file + " (" + x.getMessage() + ")");
        }
    }
}
