package io.fendersec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.fendersec.error.ConfigException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The {@code source} section of a job file, for the commands that only talk to Bugfender
 * ({@code check}, {@code login}); other sections may be absent and are not read here.
 */
final class JobSource {
    final Path jobFile;
    final JsonNode source;

    private JobSource(Path jobFile, JsonNode source) {
        this.jobFile = jobFile;
        this.source = source;
    }

    static JobSource read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such job file");
        } catch (IOException e) {
            throw new ConfigException(file + ": not a readable YAML job file (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject() || root.get("source") == null) {
            throw new ConfigException("source: missing in " + file);
        }
        return new JobSource(file, root.get("source"));
    }

    Path dir() {
        Path parent = jobFile.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }
}
