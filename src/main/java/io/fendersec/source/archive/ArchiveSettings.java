package io.fendersec.source.archive;

import java.io.Serializable;
import java.util.List;

import io.fendersec.api.ResponseLimits;
import io.fendersec.error.ConfigException;

/**
 * How to read a raw-log archive ({@code source.type: archive}): the folder a job's
 * {@code sinks.archive.path} wrote, the apps to keep (empty for all) and the longest line read.
 * Checked when built; the range is given separately, like the API source's.
 */
public final class ArchiveSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The API client refuses longer NDJSON lines ({@code source.limits.max-line-bytes}), so an archive
     * written by a job with the defaults holds none; a longer one did not come from the API.
     */
    public static final int DEFAULT_MAX_LINE_BYTES = ResponseLimits.DEFAULT_MAX_LINE_BYTES;

    private final String dir;
    private final List<String> apps;
    private final int maxLineBytes;

    private ArchiveSettings(String dir, List<String> apps, int maxLineBytes) {
        this.dir = dir;
        this.apps = List.copyOf(apps);
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * @param dir a local folder or a Flink file system URI (s3://...)
     * @param apps app ids to keep; empty keeps every app
     */
    public static ArchiveSettings of(String dir, List<String> apps, int maxLineBytes) {
        if (dir == null || dir.isBlank()) {
            throw new ConfigException("source.archive.dir: expected the folder a job's sinks.archive.path wrote");
        }
        if (maxLineBytes < 1024) {
            throw new ConfigException("source.archive.max-line-bytes: expected 1024 or more, got " + maxLineBytes);
        }
        return new ArchiveSettings(dir, apps, maxLineBytes);
    }

    public String dir() {
        return dir;
    }

    /** Empty for every app. */
    public List<String> apps() {
        return apps;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    @Override
    public String toString() {
        return "archive " + dir + (apps.isEmpty() ? "" : " apps " + apps);
    }
}
