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
    /** Lookups and GeoIP, joined after extraction; {@link Enrichment#none()} when the job has none. */
    private final Enrichment enrichment;

    private Normalizer(List<Extractor> extractors, Enrichment enrichment) {
        this.extractors = List.copyOf(extractors);
        this.plan = new ExtractionPlan(this.extractors);
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
     * {@code {defaults: true, extract: [{field, from, regex, value, when}, ...]}}.
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
                default:
                    throw new ConfigException(where + "." + e.getKey() + ": unknown key (defaults, extract)");
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

    private static List<Extractor> loadDefaults() {
        try (InputStream in = Normalizer.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the jar");
            }
            YamlNode doc = YamlNode.readAll(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULTS_RESOURCE).get(0);
            List<Extractor> out = new ArrayList<>();
            for (YamlNode x : doc.get("extract").asList()) {
                out.add(extractor(x, DEFAULTS_RESOURCE));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    public List<Extractor> extractors() {
        return extractors;
    }

    /**
     * The log with its fields to be extracted as they are read (see {@link NormalizedLog}): the
     * values are those of running the extractors in order, at the cost of only those a reader needs.
     */
    public NormalizedLog normalize(LogRecord record) {
        if (enrichment.isEmpty()) {
            return plan.size() == 0 ? new NormalizedLog(record, Map.of()) : new NormalizedLog(record, plan, null);
        }
        return new NormalizedLog(record, plan, enrichment);
    }

    /** The lookups and GeoIP joined onto every log. */
    public Enrichment enrichment() {
        return enrichment;
    }

    /** This normalizer with {@code e} as its enrichment (the job spec's {@code enrich} section). */
    public Normalizer withEnrichment(Enrichment e) {
        return new Normalizer(extractors, e);
    }

    public static final class Builder {
        private final List<Extractor> explicit = new ArrayList<>();
        private boolean defaults = true;

        public Builder extract(Extractor e) {
            explicit.add(e);
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
            return new Normalizer(Collections.unmodifiableList(all), Enrichment.none());
        }
    }
}
