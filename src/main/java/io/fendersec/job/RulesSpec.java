package io.fendersec.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code rules} section. Absent: the whole built-in pack. */
public final class RulesSpec {
    /** Built-in rule ids, or ["all"]; empty for none. */
    public final List<String> builtin;
    /** Sigma rule files, expanded once by {@link io.fendersec.detect.files.RuleFiles} against the job file's folder. */
    public final List<Path> sigma;
    /** Flink SQL rule files, expanded the same way. */
    public final List<Path> sql;
    /** Per-rule overrides, e.g. {brute-force: {threshold: 20, timespan: 15m}}. */
    public final Map<String, Map<String, Object>> overrides;
    public final Duration allowedLateness;
    public final Duration suppression;
    /** Values of the placeholders that Sigma's {@code expand} modifier names, e.g. {Admins: [root, admin]}. */
    public final Map<String, List<String>> placeholders;
    /** The exceptions file ({@code rules.exceptions}), resolved against the job file's folder; null for none. */
    public final Path exceptions;
    /** {@code rules.sigma} as written (files, folders, globs): a continuous job re-expands them at every look. */
    public final List<String> sigmaPatterns;
    /** How often a continuous job looks at its rule files ({@code rules.reload-interval}); null: never ({@code off}). */
    public final Duration reloadInterval;

    /**
     * The pySigma processing pipelines of {@code rules.pipelines} (files relative to the job file's
     * folder, or {@code builtin:NAME}), read and checked with the spec, ordered by priority; they
     * apply to the rules of {@code rules.sigma}.
     */
    public final io.fendersec.detect.pipeline.Pipelines pipelines;

    /** {@code rules.max-groups}: groups with state per rule and keyed subtask before the stalest are evicted. */
    public final int maxGroups;

    /** Default reload interval: a minute. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

    RulesSpec(List<String> builtin, List<Path> sigma, List<Path> sql, Map<String, Map<String, Object>> overrides,
            Duration allowedLateness, Duration suppression, Map<String, List<String>> placeholders) {
        this(builtin, sigma, sql, overrides, allowedLateness, suppression, placeholders, null, List.of(),
                DEFAULT_RELOAD_INTERVAL);
    }

    RulesSpec(List<String> builtin, List<Path> sigma, List<Path> sql, Map<String, Map<String, Object>> overrides,
            Duration allowedLateness, Duration suppression, Map<String, List<String>> placeholders, Path exceptions,
            List<String> sigmaPatterns, Duration reloadInterval) {
        this(builtin, sigma, sql, overrides, allowedLateness, suppression, placeholders, exceptions, sigmaPatterns,
                reloadInterval, io.fendersec.detect.pipeline.Pipelines.none(),
                io.fendersec.detect.rule.DetectionSettings.DEFAULT_MAX_GROUPS);
    }

    RulesSpec(List<String> builtin, List<Path> sigma, List<Path> sql, Map<String, Map<String, Object>> overrides,
            Duration allowedLateness, Duration suppression, Map<String, List<String>> placeholders, Path exceptions,
            List<String> sigmaPatterns, Duration reloadInterval, io.fendersec.detect.pipeline.Pipelines pipelines,
            int maxGroups) {
        this.maxGroups = maxGroups;
        this.pipelines = pipelines;
        this.exceptions = exceptions;
        this.sigmaPatterns = List.copyOf(sigmaPatterns);
        this.reloadInterval = reloadInterval;
        this.placeholders = Map.copyOf(placeholders);
        this.builtin = List.copyOf(builtin);
        this.sigma = List.copyOf(sigma);
        this.sql = List.copyOf(sql);
        this.overrides = Map.copyOf(overrides);
        this.allowedLateness = allowedLateness;
        this.suppression = suppression;
    }
}
