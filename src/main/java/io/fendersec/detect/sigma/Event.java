package io.fendersec.detect.sigma;

import java.util.Locale;

/**
 * What a compiled Sigma detection reads: field values by name, as text. A log's API fields, its
 * key-value pair and the fields extracted by normalization all answer here, so a rule does not
 * care where a field came from.
 */
public interface Event {
    /** The field's value as text, or null when the field is absent or JSON null. */
    String get(String field);

    /** Whether the field is present (even with a null value). */
    boolean has(String field);

    /** Every non-null field value, for keyword (full-text) searches. */
    Iterable<String> values();

    /** {@link #values()} lower-cased, in the same order; implementations may cache it since keyword rules ask. */
    default java.util.List<String> lowerValues() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String v : values()) {
            out.add(v.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The value in lower case; implementations may cache it since many rules ask. */
    default String lower(String field) {
        String v = get(field);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    /** The value {@linkplain LiteralPrefilter#fold folded} for literal prefilters; may be cached. */
    default String folded(String field) {
        String v = get(field);
        return v == null ? null : LiteralPrefilter.fold(v);
    }

    /**
     * Every non-null value lower-cased and joined by {@link #KEYWORD_SEPARATOR}: a keyword
     * without that character is in some value exactly when it is in this text. May be cached.
     */
    default String keywordText() {
        StringBuilder b = new StringBuilder();
        for (String v : values()) {
            b.append(v.toLowerCase(Locale.ROOT)).append(KEYWORD_SEPARATOR);
        }
        return b.toString();
    }

    /** Separates values in {@link #keywordText()}; keywords containing it are tested value by value. */
    char KEYWORD_SEPARATOR = '\0';
}
