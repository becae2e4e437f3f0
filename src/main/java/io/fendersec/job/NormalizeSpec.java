package io.fendersec.job;

import java.util.List;
import java.util.Map;

/** The {@code normalize} section: field extractors, then (unless turned off) the default set. */
public final class NormalizeSpec {
    public final boolean defaults;
    public final List<Extract> extract;

    NormalizeSpec(boolean defaults, List<Extract> extract) {
        this.defaults = defaults;
        this.extract = List.copyOf(extract);
    }

    /** One extractor: a field filled from {@code from} by an RE2/J {@code regex}, optionally {@code when} a selection matches. */
    public static final class Extract {
        public final String field;
        public final String from;
        public final String regex;
        /** A Sigma-style selection (field|modifier: value), as written; null for always. */
        public final Map<String, Object> when;

        Extract(String field, String from, String regex, Map<String, Object> when) {
            this.field = field;
            this.from = from;
            this.regex = regex;
            this.when = when == null ? null : Map.copyOf(when);
        }
    }
}
