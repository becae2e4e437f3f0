package io.fendersec.job;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the newest complete checkpoint that earlier runs retained under a checkpoint directory
 * ({@code <dir>/<job id>/chk-<n>/_metadata}), so that {@code fendersec run} of a continuous job
 * resumes where the last run stopped. Local file systems only; on a cluster with remote storage,
 * pass the path explicitly ({@code --from-checkpoint}).
 */
public final class RetainedCheckpoints {
    private static final Pattern CHK = Pattern.compile("chk-(\\d+)");

    private RetainedCheckpoints() {}

    public static Optional<Path> newest(String checkpointDir) {
        Path root;
        try {
            URI u = URI.create(checkpointDir);
            if (u.getScheme() != null && !"file".equals(u.getScheme())) {
                return Optional.empty();
            }
            root = u.getScheme() == null ? Path.of(checkpointDir) : Path.of(u);
        } catch (IllegalArgumentException e) {
            root = Path.of(checkpointDir);
        }
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(root)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::checkpoints)
                    .filter(c -> Files.isRegularFile(c.resolve("_metadata")))
                    // Newest by completion: the metadata file is written last.
                    .max(Comparator.comparing(RetainedCheckpoints::completedAt));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Stream<Path> checkpoints(Path jobDir) {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> {
                Matcher m = CHK.matcher(p.getFileName().toString());
                return m.matches() && Files.isDirectory(p);
            }).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static long completedAt(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
