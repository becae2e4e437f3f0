package io.fendersec.detect.reload;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fendersec.detect.RuleFiles;
import io.fendersec.detect.RuleLoader;
import io.fendersec.detect.RuleSet;
import io.fendersec.error.ConfigException;

/**
 * What a continuous job watches and how it turns the watched texts into rules: the rule file
 * patterns as written (re-expanded at every look, so added and removed files are seen), against
 * the job file's folder, and the fixed settings they are compiled with (built-in rules,
 * placeholders, overrides). Also the one limit a running job puts on a change: the number of
 * keyed correlation stages its graph was built with.
 *
 * <p>The same object reads ({@link #read}, in the rule watch source on a TaskManager: the paths
 * must be there, local or shared) and compiles ({@link #compile}, in the source to test a change,
 * and in every detection operator), so the source never accepts what an operator would refuse.
 *
 * <p>To watch another kind of file (a {@link RuleSnapshot.Kind}): read its patterns in
 * {@link #read} as entries of that kind and hand them to the loader in {@link #compile}.
 */
public final class WatchedRules implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String baseDir;
    private final List<String> sigma;
    private final List<String> builtin;
    private final Map<String, List<String>> placeholders;
    private final Map<String, Map<String, Object>> overrides;
    private final int stages;
    private final Duration interval;
    /** {@code rules.exceptions}, absolute; null for none. */
    private final String exceptions;

    /**
     * @param baseDir      the folder relative patterns resolve against (the job file's folder)
     * @param sigma        {@code rules.sigma} as written
     * @param stages       the keyed correlation stages the job's graph has
     * @param interval     how often the files are looked at
     */
    public WatchedRules(Path baseDir, List<String> sigma, List<String> builtin,
                        Map<String, List<String>> placeholders, Map<String, Map<String, Object>> overrides,
                        int stages, Duration interval) {
        this(baseDir, sigma, builtin, placeholders, overrides, stages, interval, null);
    }

    private WatchedRules(Path baseDir, List<String> sigma, List<String> builtin,
                         Map<String, List<String>> placeholders, Map<String, Map<String, Object>> overrides,
                         int stages, Duration interval, String exceptions) {
        // Absolute here, on the submitting machine: the source re-expands the patterns on a TaskManager.
        this.baseDir = (baseDir == null ? Path.of("") : baseDir).toAbsolutePath().normalize().toString();
        this.sigma = new ArrayList<>(sigma);
        this.builtin = new ArrayList<>(builtin);
        this.placeholders = new LinkedHashMap<>();
        placeholders.forEach((k, v) -> this.placeholders.put(k, new ArrayList<>(v)));
        this.overrides = new LinkedHashMap<>();
        overrides.forEach((k, v) -> this.overrides.put(k, new LinkedHashMap<>(v)));
        this.stages = stages;
        this.interval = interval;
        this.exceptions = exceptions;
    }

    /** The same watch, also over an exceptions file ({@code rules.exceptions}; null for none). */
    public WatchedRules withExceptions(Path file) {
        return new WatchedRules(Path.of(baseDir), sigma, builtin, placeholders, overrides, stages, interval,
                file == null ? null : Path.of(baseDir).resolve(file).toAbsolutePath().normalize().toString());
    }

    /** The same watch for a graph with {@code n} keyed stages. */
    public WatchedRules withStages(int n) {
        return new WatchedRules(Path.of(baseDir), sigma, builtin, placeholders, overrides, n, interval, exceptions);
    }

    public Duration interval() {
        return interval;
    }

    public int stages() {
        return stages;
    }

    /**
     * The watched files as they are now.
     *
     * @throws ConfigException naming the pattern or file when a pattern matches nothing or a file cannot be read
     */
    public RuleSnapshot read() {
        List<RuleSnapshot.Entry> entries = new ArrayList<>();
        Path base = Path.of(baseDir);
        for (String pattern : sigma) {
            List<Path> files;
            try {
                files = RuleFiles.expand(base, pattern, RuleFiles.SIGMA);
            } catch (ConfigException e) {
                throw new ConfigException("rules.sigma: " + e.getMessage(), e);
            }
            for (Path f : files) {
                try {
                    entries.add(new RuleSnapshot.Entry(RuleSnapshot.Kind.SIGMA, f.toString(),
                            Files.readString(f, StandardCharsets.UTF_8)));
                } catch (IOException | RuntimeException e) {
                    throw new ConfigException(f + ": cannot read rule file: " + e.getMessage(), e);
                }
            }
        }
        if (exceptions != null) {
            Path f = Path.of(exceptions);
            try {
                entries.add(new RuleSnapshot.Entry(RuleSnapshot.Kind.EXCEPTIONS, f.toString(),
                        Files.readString(f, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("rules.exceptions: " + f + ": cannot read the exceptions file: "
                        + e.getMessage(), e);
            }
        }
        return RuleSnapshot.of(settingsKey(), entries);
    }

    /**
     * The rules of {@code snapshot} with the fixed settings: as {@code Pipeline.loadRules} builds
     * them from the same files (built-in rules first, then the files in order).
     *
     * @throws ConfigException naming file and line for a bad rule, or when the rules need more
     *                         correlation stages than the job has (a restart is needed)
     */
    public RuleSet compile(RuleSnapshot snapshot) {
        RuleLoader loader = RuleLoader.create().placeholders(placeholders).builtin(builtin);
        for (RuleSnapshot.Entry e : snapshot.entries()) {
            switch (e.kind()) {
                case SIGMA -> loader.text(e.name(), e.text());
                case EXCEPTIONS -> loader.exceptions(e.name(), e.text());
            }
        }
        RuleSet rules = loader.overrides(overrides).load();
        if (rules.maxStage() > stages) {
            throw new ConfigException("the changed rules chain correlations " + rules.maxStage()
                    + " levels deep; the running job was built for " + stages
                    + ": restart the job to apply them (the rules in force stay until then)");
        }
        return rules;
    }

    /** The fixed settings, as part of every snapshot's digest. */
    String settingsKey() {
        return "builtin=" + builtin + ";placeholders=" + new TreeMap<>(placeholders) + ";overrides="
                + new TreeMap<>(overrides);
    }
}
