package io.fendersec.detect.normalize;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

/**
 * Turns a log into a {@link NormalizedLog}: the configured extractors first, then (unless
 * {@code defaults: false}) the default set for mobile-app conventions from
 * {@code normalize/defaults.yml}. The first extractor that yields a value for a field wins.
 * Extraction itself happens when a field is first read ({@link #normalize}).
 */
public final class Normalizer implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String DEFAULTS_RESOURCE = "normalize/defaults.yml";
    private static final Set<String> KEYS = Set.of("field", "from", "regex", "value", "when", "check", "prefilter");

    private final List<Extractor> extractors;
    private final ExtractionPlan plan;
    /** How group-by and value_count fields compare ({@code keys:}); see {@link GroupKeys}. */
    private final GroupKeys keys;
    /** Lookups and GeoIP, joined after extraction; {@link Enrichment#none()} when the job has none. */
    private final Enrichment enrichment;

    private Normalizer(List<Extractor> extractors, GroupKeys keys, Enrichment enrichment) {
        this.extractors = List.copyOf(extractors);
        this.plan = new ExtractionPlan(this.extractors);
        this.keys = keys;
        this.enrichment = enrichment;
        for (Extractor x : this.extractors) {
            if (enrichment.slot(x.field()) >= 0) {
                throw new ConfigException("enrich: field '" + x.field() + "' is also written by a normalize extractor"
                        + " (normalize.extract or the defaults); give the lookup another prefix");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default extractors only. */
    public static Normalizer defaults() {
        return builder().build();
    }

    /**
     * Reads the job spec's {@code normalize:} section, already parsed to maps and lists:
     * {@code {defaults: true, extract: [{field, from, regex, value, when}, ...], keys: {FIELD: {fold, absent}}}}.
     */
    public static Normalizer fromConfig(Map<String, ?> section, String where) {
        return fromYaml(YamlNode.of(section == null ? Map.of() : section, where), where);
    }

    static Normalizer fromYaml(YamlNode section, String where) {
        Builder b = builder();
        for (Map.Entry<String, YamlNode> e : section.asMap().entrySet()) {
            switch (e.getKey()) {
                case "defaults":
                    if (!(e.getValue().scalar() instanceof Boolean)) {
                        throw new ConfigException(where + ".defaults: expected true or false");
                    }
                    b.defaults((Boolean) e.getValue().scalar());
                    break;
                case "extract":
                    int i = 0;
                    for (YamlNode x : e.getValue().asList()) {
                        b.extract(extractor(x, where + ".extract[" + i++ + "]"));
                    }
                    break;
                case "keys":
                    if (!e.getValue().isMap()) {
                        throw new ConfigException(where + ".keys: expected a map of field names, such as"
                                + " {user.name: {fold: true, absent: skip}}");
                    }
                    b.keys(e.getValue(), where + ".keys");
                    break;
                default:
                    throw new ConfigException(where + "." + e.getKey() + ": unknown key (defaults, extract, keys)");
            }
        }
        return b.build();
    }

    private static Extractor extractor(YamlNode x, String where) {
        String at = x.line() > 0 ? x.where() : where;
        for (String k : x.asMap().keySet()) {
            if (!KEYS.contains(k)) {
                throw new ConfigException(at + ": unknown extractor key '" + k + "' (field, from, regex, value, when, check, prefilter)");
            }
        }
        Extractor.Builder eb = Extractor.builder().where(at).field(x.text("field")).regex(x.text("regex"))
                .value(x.text("value"));
        if (x.get("prefilter") != null) {
            List<String> literals = new ArrayList<>();
            for (YamlNode l : x.get("prefilter").asListOrSingle()) {
                literals.add(l.asText());
            }
            eb.prefilter(literals);
        }
        if (x.text("check") != null) {
            eb.check(x.text("check"));
        }
        if (x.text("from") != null) {
            eb.from(x.text("from"));
        }
        if (x.get("when") != null) {
            eb.when(x.get("when"));
        }
        return eb.build();
    }

    private static YamlNode defaultsDoc() {
        try (InputStream in = Normalizer.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the jar");
            }
            return YamlNode.readAll(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULTS_RESOURCE).get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    private static List<Extractor> loadDefaults() {
        List<Extractor> out = new ArrayList<>();
        for (YamlNode x : defaultsDoc().get("extract").asList()) {
            out.add(extractor(x, DEFAULTS_RESOURCE));
        }
        return out;
    }

    /**
     * The default key decisions ({@code keys:} of the defaults file). They hold with
     * {@code defaults: false} too, which turns off only the default extractors: a job that writes
     * its own extractors must not lose case folding of user names by it.
     */
    public static GroupKeys defaultKeys() {
        return DefaultKeys.KEYS;
    }

    /** Loaded once, when first asked for. */
    private static final class DefaultKeys {
        static final GroupKeys KEYS = GroupKeys.read(GroupKeys.none(), defaultsDoc().get("keys"), DEFAULTS_RESOURCE + ": keys");
    }

    public List<Extractor> extractors() {
        return extractors;
    }

    /** How group-by and value_count fields compare (the defaults with the job's {@code keys:} over them). */
    public GroupKeys keys() {
        return keys;
    }

    /**
     * The log with its fields to be extracted as they are read (see {@link NormalizedLog}): the
     * values are those of running the extractors in order, at the cost of only those a reader needs.
     */
    public NormalizedLog normalize(LogRecord record) {
        if (enrichment.isEmpty()) {
            return plan.size() == 0 ? new NormalizedLog(record, Map.of(), keys) : new NormalizedLog(record, plan, null, keys);
        }
        return new NormalizedLog(record, plan, enrichment, keys);
    }

    /** The lookups and GeoIP joined onto every log. */
    public Enrichment enrichment() {
        return enrichment;
    }

    /** This normalizer with {@code e} as its enrichment (the job spec's {@code enrich} section). */
    public Normalizer withEnrichment(Enrichment e) {
        return new Normalizer(extractors, keys, e);
    }

    public static final class Builder {
        private final List<Extractor> explicit = new ArrayList<>();
        private boolean defaults = true;
        private GroupKeys keys;

        public Builder extract(Extractor e) {
            explicit.add(e);
            return this;
        }

        /** Key decisions over the defaults (a {@code keys:} section), errors under {@code where}. */
        Builder keys(YamlNode section, String where) {
            this.keys = GroupKeys.read(keys == null ? defaultKeys() : keys, section, where);
            return this;
        }

        public Builder defaults(boolean on) {
            this.defaults = on;
            return this;
        }

        public Normalizer build() {
            List<Extractor> all = new ArrayList<>(explicit);
            if (defaults) {
                all.addAll(loadDefaults());
            }
            return new Normalizer(Collections.unmodifiableList(all), keys == null ? defaultKeys() : keys,
                    Enrichment.none());
        }
    }
}
