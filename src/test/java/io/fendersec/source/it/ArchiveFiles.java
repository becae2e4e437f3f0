package io.fendersec.source.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what the archive committed: visible part files only (in-progress and pending ones start with a dot). */
public final class ArchiveFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArchiveFiles() {}

    /**
     * Bucket folders, then the visible files in them, filtered by name before anything else touches
     * them: in-progress files are renamed while we look, and must not be opened or even stat'ed.
     */
    public static List<String> committedUuids(Path dir) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> buckets = Files.newDirectoryStream(dir)) {
            for (Path bucket : buckets) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(bucket)) {
                    for (Path f : files) {
                        if (f.getFileName().toString().startsWith(".")) {
                            continue;
                        }
                        for (String line : Files.readAllLines(f)) {
                            if (!line.isBlank()) {
                                out.add(JSON.readTree(line).get("uuid").asText());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
