package io.fendersec.detect.reload;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fendersec.detect.files.RuleFiles;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.files.TextFiles;
import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.enrich.GeoIp;
import io.fendersec.detect.enrich.Lookup;
import io.fendersec.detect.enrich.LookupFile;
import io.fendersec.detect.normalize.Normalizer;
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
 * <p>With lookups ({@link #withLookups}), the lookup files are watched too: a change of a table
 * is a new snapshot like a change of a rule, and {@link #normalizer} turns a snapshot's tables
 * into the normalizer logs are matched with. The GeoIP database is not watched (it is opened
 * where the job runs, once).
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
    /** {@code enrich.lookups}, in order: one {@link RuleSnapshot.Kind#LOOKUP} entry each; empty for none. */
    private final List<LookupFile> lookups;
    /** {@code enrich.geoip}, fixed for the job's life; null for none. */
    private final GeoIp geoIp;
    /** The job's normalizer without enrichment; null when no lookups are watched. */
    private final Normalizer base;
    /** {@code rules.pipelines} as [source, YAML text] pairs (read at start, not watched); empty for none. */
    private List<List<String>> pipelines = List.of();

    /**
     * @param baseDir      the folder relative patterns resolve against (the job file's folder)
     * @param sigma        {@code rules.sigma} as written
     * @param stages       the keyed correlation stages the job's graph has
     * @param interval     how often the files are looked at
     */
    public WatchedRules(Path baseDir, List<String> sigma, List<String> builtin,
                        Map<String, List<String>> placeholders, Map<String, Map<String, Object>> overrides,
                        int stages, Duration interval) {
        this(baseDir, sigma, builtin, placeholders, overrides, stages, interval, null, List.of(), null, null);
    }

    private WatchedRules(Path baseDir, List<String> sigma, List<String> builtin,
                         Map<String, List<String>> placeholders, Map<String, Map<String, Object>> overrides,
                         int stages, Duration interval, String exceptions, List<LookupFile> lookups, GeoIp geoIp,
                         Normalizer base) {
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
        this.lookups = List.copyOf(lookups);
        this.geoIp = geoIp;
        this.base = base;
    }

    /** The same watch, also over an exceptions file ({@code rules.exceptions}; null for none). */
    public WatchedRules withExceptions(Path file) {
        return carry(new WatchedRules(Path.of(baseDir), sigma, builtin, placeholders, overrides, stages, interval,
                file == null ? null : Path.of(baseDir).resolve(file).toAbsolutePath().normalize().toString(),
                lookups, geoIp, base));
    }

    /** The same watch for a graph with {@code n} keyed stages. */
    public WatchedRules withStages(int n) {
        return carry(new WatchedRules(Path.of(baseDir), sigma, builtin, placeholders, overrides, n, interval, exceptions,
                lookups, geoIp, base));
    }

    /**
     * The same watch, also over the lookup files of {@code enrich.lookups} (their paths absolute).
     *
     * @param normalizer the job's normalizer ({@code normalize}); its enrichment, if any, is replaced
     *                   by the snapshot's tables and {@code geoIp}
     * @param geoIp      {@code enrich.geoip}, null for none: joined as it is, not watched
     */
    public WatchedRules withLookups(List<LookupFile> files, GeoIp geoIp, Normalizer normalizer) {
        return carry(new WatchedRules(Path.of(baseDir), sigma, builtin, placeholders, overrides, stages, interval,
                exceptions, files, geoIp, files.isEmpty() ? null : normalizer.withEnrichment(Enrichment.none())));
    }

    /** The same watch, its rules processed by these pySigma pipelines ({@code rules.pipelines}). */
    public WatchedRules withPipelines(io.fendersec.detect.pipeline.Pipelines p) {
        WatchedRules w = carry(withStages(stages));
        w.pipelines = List.copyOf(p.texts());
        return w;
    }

    private WatchedRules carry(WatchedRules w) {
        w.pipelines = pipelines;
        return w;
    }

    /** Whether lookup files are watched: then {@link #normalizer} gives the normalizer of each snapshot. */
    public boolean watchesLookups() {
        return !lookups.isEmpty();
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
                            TextFiles.readRuleText(f, "rule file")));
                } catch (ConfigException e) {
                    throw e; // over the cap, or not a file: the message names it
                } catch (IOException | RuntimeException e) {
                    throw new ConfigException(f + ": cannot read rule file: " + e.getMessage(), e);
                }
            }
        }
        if (exceptions != null) {
            Path f = Path.of(exceptions);
            try {
                entries.add(new RuleSnapshot.Entry(RuleSnapshot.Kind.EXCEPTIONS, f.toString(),
                        TextFiles.readRuleText(f, "exceptions file")));
            } catch (ConfigException e) {
                throw new ConfigException("rules.exceptions: " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("rules.exceptions: " + f + ": cannot read the exceptions file: "
                        + e.getMessage(), e);
            }
        }
        for (int i = 0; i < lookups.size(); i++) {
            LookupFile l = lookups.get(i);
            try {
                entries.add(new RuleSnapshot.Entry(RuleSnapshot.Kind.LOOKUP, l.path(), l.read()));
            } catch (RuntimeException e) {
                throw new ConfigException("enrich.lookups[" + i + "].file: " + e.getMessage(), e);
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
        RuleLoader loader = RuleLoader.create().placeholders(placeholders).builtin(builtin)
                .pipelines(io.fendersec.detect.pipeline.Pipelines.ofTexts(pipelines));
        for (RuleSnapshot.Entry e : snapshot.entries()) {
            switch (e.kind()) {
                case SIGMA -> loader.text(e.name(), e.text());
                case EXCEPTIONS -> loader.exceptions(e.name(), e.text());
                case LOOKUP -> { } // tables, not rules: see normalizer()
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

    /**
     * What the source tests before it emits a snapshot: the rules compile ({@link #compile}) and,
     * when lookups are watched, the tables parse and join ({@link #normalizer}).
     *
     * @throws ConfigException naming file and line of the first problem
     */
    public void check(RuleSnapshot snapshot) {
        compile(snapshot);
        if (watchesLookups()) {
            normalizer(snapshot);
        }
    }

    /**
     * The normalizer logs are matched with under {@code snapshot}: the job's normalizer joined
     * with the snapshot's lookup tables and the job's GeoIP, as {@code JobSpec.normalizer()}
     * builds it at start from the same files.
     *
     * @throws ConfigException naming file and line for a bad table, or a joined field that clashes
     * @throws IllegalStateException when no lookups are watched
     */
    public Normalizer normalizer(RuleSnapshot snapshot) {
        if (!watchesLookups()) {
            throw new IllegalStateException("no lookup files are watched");
        }
        return base.withEnrichment(enrichment(snapshot));
    }

    /** The snapshot's lookup tables, one per {@code enrich.lookups} entry, with the job's GeoIP. */
    Enrichment enrichment(RuleSnapshot snapshot) {
        List<RuleSnapshot.Entry> texts = snapshot.entries(RuleSnapshot.Kind.LOOKUP);
        if (texts.size() != lookups.size()) {
            // only a snapshot of a job started with another enrich section (a checkpoint)
            throw new ConfigException("the rules hold " + texts.size() + " lookup files, the job has "
                    + lookups.size() + " in enrich.lookups");
        }
        List<Lookup> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            RuleSnapshot.Entry e = texts.get(i);
            LookupFile l = lookups.get(i);
            if (!e.name().equals(l.path())) {
                throw new ConfigException("enrich.lookups[" + i + "]: the rules hold the table " + e.name()
                        + ", the job reads " + l.path());
            }
            try {
                out.add(l.parse(e.name(), e.text()));
            } catch (ConfigException x) {
                throw new ConfigException("enrich.lookups[" + i + "].file: " + x.getMessage(), x);
            }
        }
        return Enrichment.of(out, geoIp);
    }

    /** The fixed settings, as part of every snapshot's digest. */
    String settingsKey() {
        String key = "builtin=" + builtin + ";placeholders=" + new TreeMap<>(placeholders) + ";overrides="
                + new TreeMap<>(overrides);
        // only with lookups: the digests of jobs without them stay what their checkpoints hold
        key = lookups.isEmpty() ? key : key + ";lookups=" + lookups + ";geoip=" + (geoIp == null ? "" : geoIp.path());
        // likewise only with pipelines: a changed pipeline is a changed setting
        return pipelines.isEmpty() ? key : key + ";pipelines=" + pipelines.hashCode();
    }
}
