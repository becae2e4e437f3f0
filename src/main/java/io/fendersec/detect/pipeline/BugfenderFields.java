package io.fendersec.detect.pipeline;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import io.fendersec.detect.normalize.Extractor;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogFields;

/**
 * The taxonomy of {@code product: bugfender} (docs/taxonomy.md), derived from the code that makes
 * the fields, so that the two cannot drift: every field of a Bugfender log record
 * ({@link LogFields}) and every field the default extractors ({@code normalize/defaults.yml}) write.
 * A rule (after its pipelines) reading a field outside this set, a job's own extractors and its
 * lookups never matches unless an app logs that name as a key-value pair.
 */
public final class BugfenderFields {
    private BugfenderFields() {}

    /** The fields every Bugfender log has (the API record). */
    public static Set<String> logFields() {
        Set<String> out = new LinkedHashSet<>();
        for (Field f : LogFields.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    out.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** The fields the default extractors write. */
    public static Set<String> defaultExtracted() {
        return extracted(Normalizer.defaults());
    }

    /** The fields a normalizer's extractors write (the defaults, if on, and a job's own). */
    public static Set<String> extracted(Normalizer n) {
        Set<String> out = new LinkedHashSet<>();
        for (Extractor x : n.extractors()) {
            out.add(x.field());
        }
        return out;
    }

    /** Log fields, what {@code n} extracts, and its enrichment's fields: what a rule can read in this job. */
    public static Set<String> available(Normalizer n) {
        Set<String> out = logFields();
        out.addAll(extracted(n));
        Collection<String> enriched = n.enrichment().fieldNames();
        out.addAll(enriched);
        return out;
    }
}
