package io.fendersec.api;

import java.io.Serializable;
import java.net.URI;

import io.fendersec.error.ConfigException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * How much the client accepts from a server ({@code source.limits}): the size of one JSON answer
 * (a page of logs, the app list, a token answer), of one NDJSON line of a download, and the nesting
 * depth of JSON. A server, or whoever sits between it and us, must not make a reader buffer without
 * bound or recurse without end. JSON limits are Jackson's {@link StreamReadConstraints}, checked as
 * the parser reads (sizes after decompression); NDJSON lines are measured by {@link NdjsonLines}.
 *
 * <p>Going over a limit is a {@link ConfigException} naming the key (not retried: the same answer
 * would come again; raise the limit if the answer is genuine).
 */
public final class ResponseLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A page of 10 000 logs of a few KB each fits many times over. */
    public static final long DEFAULT_MAX_PAGE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_LINE_BYTES = 8 << 20;
    /** A log is at depth 3 of its page; its nested values rarely go more than a few levels deeper. */
    public static final int DEFAULT_MAX_JSON_DEPTH = 64;

    public static final ResponseLimits DEFAULTS =
            new ResponseLimits(DEFAULT_MAX_PAGE_BYTES, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_JSON_DEPTH);

    static final String PAGE_KEY = "source.limits.max-page-bytes";
    static final String LINE_KEY = "source.limits.max-line-bytes";
    static final String DEPTH_KEY = "source.limits.max-json-depth";

    private final long maxPageBytes;
    private final int maxLineBytes;
    private final int maxJsonDepth;

    private ResponseLimits(long maxPageBytes, int maxLineBytes, int maxJsonDepth) {
        this.maxPageBytes = maxPageBytes;
        this.maxLineBytes = maxLineBytes;
        this.maxJsonDepth = maxJsonDepth;
    }

    /** Validates each value, naming its key. */
    public static ResponseLimits of(long maxPageBytes, int maxLineBytes, int maxJsonDepth) {
        if (maxPageBytes < 1024) {
            throw new ConfigException(PAGE_KEY + ": expected a number of bytes of at least 1024, got " + maxPageBytes);
        }
        if (maxLineBytes < 1024) {
            throw new ConfigException(LINE_KEY + ": expected a number of bytes of at least 1024, got " + maxLineBytes);
        }
        if (maxJsonDepth < 4) {
            throw new ConfigException(DEPTH_KEY + ": expected at least 4 (a log sits at depth 3 of its page), got "
                    + maxJsonDepth);
        }
        return new ResponseLimits(maxPageBytes, maxLineBytes, maxJsonDepth);
    }

    public long maxPageBytes() {
        return maxPageBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    public int maxJsonDepth() {
        return maxJsonDepth;
    }

    /** Parsers that enforce these limits and leave the stream open (see {@link LogJson#FACTORY}). */
    JsonFactory jsonFactory() {
        return JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(maxPageBytes)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxPageBytes))
                        .maxNestingDepth(maxJsonDepth)
                        .build())
                .build();
    }

    /** The one-line error for an answer over a JSON limit. */
    ConfigException exceeded(URI uri, StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        String what = m.contains("nesting depth") ? DEPTH_KEY + " (" + maxJsonDepth + ")"
                : PAGE_KEY + " (" + maxPageBytes + " bytes)";
        return new ConfigException("Bugfender's answer to " + uri + " is over " + what + ": "
                + m.replaceAll("[\\r\\n]+", " ").replaceAll(", from `StreamReadConstraints[^`]*`", "")
                + "; raise the limit if such answers are expected");
    }

    /** The one-line error for an NDJSON line over {@link #maxLineBytes}. */
    ConfigException lineTooLong(URI uri, long lineNumber) {
        return new ConfigException("line " + lineNumber + " of the download " + uri + " is over " + LINE_KEY + " ("
                + maxLineBytes + " bytes); raise the limit if such logs are expected");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseLimits && ((ResponseLimits) o).maxPageBytes == maxPageBytes
                && ((ResponseLimits) o).maxLineBytes == maxLineBytes && ((ResponseLimits) o).maxJsonDepth == maxJsonDepth;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxPageBytes) * 31 * 31 + maxLineBytes * 31 + maxJsonDepth;
    }

    @Override
    public String toString() {
        return "ResponseLimits{maxPageBytes=" + maxPageBytes + ", maxLineBytes=" + maxLineBytes + ", maxJsonDepth="
                + maxJsonDepth + "}";
    }
}
