package io.fendersec.detect.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.fendersec.error.ConfigException;

/**
 * Reads the text files a job and {@code fendersec rules} are given (rule files, the exceptions
 * file, rules' tests, lookup tables), holding each to a size cap: one file must not make a job, a
 * live reload or the command line buffer without bound. A file is read only when it is a regular
 * file (a device such as {@code /dev/zero} or a FIFO reports size 0 and never ends) whose size is
 * within the cap, and then through a stream that stops one byte past the cap, so a file that grows
 * while it is read is refused too. {@code Files.readString} of a file over 2 GiB throws an
 * {@link OutOfMemoryError}, which once ended the rule watcher's thread without a word.
 */
public final class TextFiles {
    /**
     * Cap of a Sigma rule file, an exceptions file and a tests file: the largest file of the
     * built-in pack is a few KB, the whole SigmaHQ rule set is about 30 MB in some 3,000 files.
     */
    public static final long MAX_RULE_FILE_BYTES = 16L << 20;

    private TextFiles() {}

    /**
     * The UTF-8 text of {@code file}.
     *
     * @param kind what the file is, for messages: "rule file", "exceptions file", ...
     * @param advice what to do about a file over the cap, e.g. "split it into smaller files"
     * @throws ConfigException naming the file and the cap when the file is over it or not a regular file
     * @throws IOException when it cannot be read or is not UTF-8 (the caller words the message)
     */
    public static String read(Path file, long maxBytes, String kind, String advice) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class); // follows links
        if (!a.isRegularFile()) {
            throw new ConfigException(file + " is not a regular file (a folder, device or pipe): " + article(kind) + kind
                    + " must be a file");
        }
        if (a.size() > maxBytes) {
            throw tooBig(file, kind, a.size() + " bytes", maxBytes, advice);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (bytes.length > maxBytes) {
            throw tooBig(file, kind, "still being written (it passed the cap as it was read)", maxBytes, advice);
        }
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** Rule, exceptions and tests files: read with {@link #MAX_RULE_FILE_BYTES}. */
    public static String readRuleText(Path file, String kind) throws IOException {
        return read(file, MAX_RULE_FILE_BYTES, kind, "split it into smaller files");
    }

    private static ConfigException tooBig(Path file, String kind, String size, long maxBytes, String advice) {
        return new ConfigException(file + " is " + size + ", more than the " + maxBytes + " bytes ("
                + (maxBytes >> 20) + " MiB) " + article(kind) + kind + " may hold: " + advice);
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ";
    }
}
