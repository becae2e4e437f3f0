package io.fendersec.source.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * The lines of one archive file as bytes, each at most {@code maxLineBytes} long. Files are not
 * split (a JSON line has no marker to resynchronise on): one file is one split, and Flink restores
 * a split by skipping the lines already emitted.
 *
 * <p>The file is attacker-influenced data (the apps' text, and whatever else reached the folder),
 * so no line may cost more than its limit: a longer line is skipped to its end without being held,
 * and stands in the output as {@link #TOO_LONG}. A compressed file that ends in the middle of its
 * stream (a copy cut short) ends the file's lines with {@link #CUT_SHORT} instead of failing the
 * job. Both markers begin with a line feed, which no line read here can contain; {@link ArchiveLogs}
 * counts them.
 */
final class ArchiveLineFormat extends SimpleStreamFormat<byte[]> {
    private static final long serialVersionUID = 1L;

    /** A line longer than the limit, skipped. */
    static final byte[] TOO_LONG = {'\n', 'L'};
    /** A compressed file that ended mid-stream; its lines before the cut were read. */
    static final byte[] CUT_SHORT = {'\n', 'C'};

    private static final int CHUNK = 64 * 1024;

    private final int maxLineBytes;

    ArchiveLineFormat(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public StreamFormat.Reader<byte[]> createReader(Configuration config, FSDataInputStream stream) {
        return new Lines(stream, maxLineBytes);
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }

    static boolean isMarker(byte[] line) {
        return line.length == 2 && line[0] == '\n';
    }

    /** Splits a stream on '\n' (a trailing '\r' is left to the JSON parser, which reads it as whitespace). */
    static final class Lines implements StreamFormat.Reader<byte[]> {
        private final InputStream in;
        private final int max;
        private final byte[] chunk = new byte[CHUNK];
        private int pos;
        private int end;
        private boolean eof;
        /** The line being gathered across chunks; grows up to {@link #max}. */
        private byte[] line = new byte[256];
        private int len;

        Lines(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public byte[] read() throws IOException {
            len = 0;
            boolean tooLong = false;
            while (true) {
                if (pos == end) {
                    if (eof || !fill()) {
                        eof = true;
                        if (tooLong) {
                            return TOO_LONG;
                        }
                        if (len > 0) {
                            return Arrays.copyOf(line, len); // a last line without '\n' is kept
                        }
                        if (cutShort) {
                            cutShort = false;
                            return CUT_SHORT; // after the line the cut ended, if any
                        }
                        return null;
                    }
                }
                int nl = indexOf(chunk, pos, end);
                int stop = nl < 0 ? end : nl;
                if (!tooLong) {
                    if (len + (stop - pos) > max) {
                        tooLong = true; // drop what was gathered, skip to the line's end
                        len = 0;
                    } else {
                        append(pos, stop - pos);
                    }
                }
                pos = nl < 0 ? end : nl + 1;
                if (nl >= 0) {
                    if (tooLong) {
                        return TOO_LONG;
                    }
                    if (len == 0) {
                        continue; // an empty line is no log and no damage
                    }
                    return Arrays.copyOf(line, len);
                }
            }
        }

        /** Set when the stream broke off; reported once, after the line it cut (if any). */
        private boolean cutShort;

        private boolean fill() throws IOException {
            int n;
            try {
                n = in.read(chunk, 0, CHUNK);
            } catch (EOFException | ZipException corrupt) {
                // A compressed stream that ends early or is damaged: the lines before are good; the
                // rest of the file is lost, and counted as such rather than failing the whole hunt.
                cutShort = true;
                return false;
            }
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        private void append(int from, int n) {
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.min(max, Math.max(line.length * 2, len + n)));
            }
            System.arraycopy(chunk, from, line, len, n);
            len += n;
        }

        private static int indexOf(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
