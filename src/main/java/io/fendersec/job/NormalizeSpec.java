package io.fendersec.job;

import java.util.Map;

import io.fendersec.detect.normalize.Normalizer;

/**
 * The {@code normalize} section: field extractors, then (unless {@code defaults: false}) the
 * default set. Kept as written and compiled by {@link Normalizer#fromConfig}, which validates it.
 */
public final class NormalizeSpec {
    /** The section as parsed YAML (maps, lists, scalars); empty for the defaults alone. */
    public final Map<String, Object> section;

    NormalizeSpec(Map<String, Object> section) {
        this.section = section;
    }

    public Normalizer compile() {
        return Normalizer.fromConfig(section, "normalize");
    }
}
