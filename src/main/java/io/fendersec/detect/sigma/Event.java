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

    /** The value in lower case; implementations may cache it since many rules ask. */
    default String lower(String field) {
        String v = get(field);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }
}
