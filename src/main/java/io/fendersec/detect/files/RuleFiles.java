package io.fendersec.detect.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import io.fendersec.error.ConfigException;

/**
 * Rule file patterns: the one place that turns what a user writes ({@code rules.sigma} and
 * {@code rules.sql} in a job spec, the files given to {@code fendersec rules}) into files, in one
 * dialect (docs/rules.md, "Rule files"):
 * <ul>
 *   <li>a path without glob characters names a file, or a folder: its files with the given
 *       extensions (not its subfolders);</li>
 *   <li>otherwise it is a glob in {@link java.nio.file.FileSystem#getPathMatcher Java's glob syntax}:
 *       {@code *} and {@code ?} within one name, {@code **} across folders, {@code [abc]},
 *       {@code {a,b}}. It is matched against the files under its longest folder prefix without
 *       glob characters, so {@code rules/*.yml} reads one folder and {@code rules/**.yml} the tree.</li>
 * </ul>
 * Neither a folder nor a glob yields a rule's tests ({@code NAME.tests.yml} beside
 * {@code NAME.yml}, see {@link #testsOf}): {@code rules/*.yml} names the rules, not their examples.
 * Relative patterns resolve against a base folder: the job file's folder for a job spec, the
 * working directory for the command line. Matches come sorted, so rule order (and the first
 * definition of a duplicate id) does not depend on the file system.
 */
public final class RuleFiles {
    /** What a folder of Sigma rules contributes. */
    public static final List<String> SIGMA = List.of(".yml", ".yaml");
    /** What a folder of Flink SQL rules contributes. */
    public static final List<String> SQL = List.of(".sql");

    private static final String GLOB_CHARACTERS = "*?[{";
    /** What marks a rule file's tests: {@code NAME.tests.yml} beside {@code NAME.yml} (or {@code .yaml}). */
    private static final String TESTS_MARK = ".tests";

    private RuleFiles() {}

    /**
     * The files {@code pattern} names, sorted; at least one.
     *
     * @param folderExtensions the file name endings a folder named without a glob contributes
     * @throws ConfigException naming the pattern (callers prefix the key or option) when it is
     *                         malformed, names nothing or cannot be listed
     */
    public static List<Path> expand(Path base, String pattern, List<String> folderExtensions) {
        int firstGlob = indexOfGlob(pattern);
        try {
            return firstGlob < 0 ? named(base.resolve(pattern), folderExtensions) : glob(base, pattern, firstGlob);
        } catch (InvalidPathException | PatternSyntaxException e) {
            throw new ConfigException("'" + pattern + "' is not a valid file name or glob ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The tests file of a rule file: {@code NAME.tests.yml} for {@code NAME.yml}, {@code NAME.tests.yaml} for {@code NAME.yaml}. */
    public static Path testsOf(Path ruleFile) {
        String name = ruleFile.getFileName().toString();
        String ext = name.endsWith(".yaml") ? ".yaml" : ".yml";
        String stem = name.endsWith(ext) ? name.substring(0, name.length() - ext.length()) : name;
        return ruleFile.resolveSibling(stem + TESTS_MARK + ext);
    }

    /** Whether {@code file} is a rule file's tests ({@link #testsOf}), which folders and globs leave out. */
    public static boolean isTests(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(TESTS_MARK + ".yml") || name.endsWith(TESTS_MARK + ".yaml");
    }

    private static List<Path> named(Path p, List<String> folderExtensions) {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new ConfigException("file " + p + " does not exist");
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(p)) {
            found = s.filter(Files::isRegularFile).filter(f -> !isTests(f))
                    .filter(f -> folderExtensions.stream().anyMatch(f.getFileName().toString()::endsWith))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot list " + p + " (" + e.getMessage() + ")", e);
        }
        if (found.isEmpty()) {
            throw new ConfigException("folder " + p + " holds no " + String.join(" or ", folderExtensions) + " file");
        }
        return found;
    }

    private static List<Path> glob(Path base, String pattern, int firstGlob) {
        // The base folder and the pattern's folders before the first glob character are taken
        // literally (a job folder may hold '[' or '{' in its name); the rest is matched relative to them.
        int slash = pattern.lastIndexOf('/', firstGlob);
        Path dir = slash < 0 ? base : base.resolve(pattern.substring(0, slash + 1));
        String rest = pattern.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        // Without '**' a glob cannot match deeper than its own number of names: do not walk further.
        int depth = rest.contains("**") ? Integer.MAX_VALUE : (int) rest.chars().filter(c -> c == '/').count() + 1;
        List<Path> found = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir, depth)) {
                found = s.filter(Files::isRegularFile).filter(f -> !isTests(f)).filter(f -> matcher.matches(dir.relativize(f))).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ConfigException("cannot list " + dir + " (" + e.getMessage() + ")", e);
            }
        }
        if (found.isEmpty()) {
            throw new ConfigException("'" + pattern + "' matches no file (looked in " + dir.toAbsolutePath().normalize() + ")");
        }
        return found;
    }

    private static int indexOfGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (GLOB_CHARACTERS.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
