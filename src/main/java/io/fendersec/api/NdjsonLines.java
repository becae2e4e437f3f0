package io.fendersec.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code \n} (a trailing {@code \r} dropped), refusing a line
 * longer than a limit before buffering more of it: {@code BufferedReader.readLine} would grow one
 * line without bound. Lines are returned as bytes for Jackson to decode (UTF-8).
 */
final class NdjsonLines {
    private final InputStream in;
    private final ResponseLimits limits;
    private final URI uri;
    private final int maxLineBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[1024];
    private int length;
    private long lineNumber;

    /** @param uri for the error of a line over {@link ResponseLimits#maxLineBytes} */
    NdjsonLines(InputStream in, ResponseLimits limits, URI uri) {
        this.in = in;
        this.limits = limits;
        this.uri = uri;
        this.maxLineBytes = limits.maxLineBytes();
    }

    /** Whether the current line is empty or only blanks. */
    boolean blank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The next line's bytes in {@link #bytes()} [0, {@link #length()}), false at the end of the stream. */
    boolean next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) {
                        return false;
                    }
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < end) {
                pos++; // the '\n'
                break;
            }
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return true;
    }

    private void append(int from, int n) {
        if ((long) length + n > maxLineBytes) {
            throw limits.lineTooLong(uri, lineNumber + 1); // not an I/O failure: a retry would meet the same line
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(length + n, line.length * 2)));
        }
        System.arraycopy(buf, from, line, length, n);
        length += n;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }
}
