package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.LiteralPrefilter;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * A log plus the fields normalization extracted from it. Field lookup order: extracted fields,
 * then the API's fields, then the log's key-value pair ({@code key_value_key} names a field
 * whose value is {@code key_value_value}).
 *
 * <p>Immutable apart from a private cache of lower-cased values. Serialized by
 * {@link NormalizedLogSerializer}.
 */
@TypeInfo(NormalizedLogTypeInfoFactory.class)
public final class NormalizedLog implements Event, Serializable {
    private static final long serialVersionUID = 1L;

    private final LogRecord record;
    private final Map<String, String> extracted;
    // Caches for the many rules that read the same log; filled lazily, never serialized.
    private transient Map<String, String> lowerCache;
    private transient List<String> valuesCache;
    private transient String keywordTextCache;

    public NormalizedLog(LogRecord record, Map<String, String> extracted) {
        this.record = Objects.requireNonNull(record, "record");
        this.extracted = Collections.unmodifiableMap(new LinkedHashMap<>(extracted));
    }

    public LogRecord record() {
        return record;
    }

    /** The fields normalization added, in extraction order. */
    public Map<String, String> extracted() {
        return extracted;
    }

    @Override
    public String get(String field) {
        return lookup(record, extracted, field);
    }

    static String lookup(LogRecord record, Map<String, String> extracted, String field) {
        String v = extracted.get(field);
        if (v != null) {
            return v;
        }
        if (record.has(field)) {
            return record.getString(field);
        }
        String key = record.getString(LogFields.KEY_VALUE_KEY);
        if (key != null && key.equals(field)) {
            return record.getString(LogFields.KEY_VALUE_VALUE);
        }
        return null;
    }

    @Override
    public boolean has(String field) {
        return contains(record, extracted, field);
    }

    static boolean contains(LogRecord record, Map<String, String> extracted, String field) {
        return extracted.containsKey(field) || record.has(field)
                || field.equals(record.getString(LogFields.KEY_VALUE_KEY));
    }

    @Override
    public String lower(String field) {
        if (lowerCache == null) {
            lowerCache = new HashMap<>();
        }
        String cached = lowerCache.get(field);
        if (cached == null && !lowerCache.containsKey(field)) {
            String v = get(field);
            cached = v == null ? null : v.toLowerCase(Locale.ROOT);
            lowerCache.put(field, cached);
        }
        return cached;
    }

    @Override
    public String folded(String field) {
        String lower = lower(field);
        // fold() is lower case plus the long s; only a log containing one pays for a second copy.
        return lower == null || lower.indexOf('\u017f') < 0 ? lower : LiteralPrefilter.fold(lower);
    }

    @Override
    public String keywordText() {
        if (keywordTextCache == null) {
            keywordTextCache = Event.super.keywordText();
        }
        return keywordTextCache;
    }

    @Override
    public Iterable<String> values() {
        if (valuesCache == null) {
            valuesCache = Collections.unmodifiableList(collectValues());
        }
        return valuesCache;
    }

    private List<String> collectValues() {
        List<String> out = new ArrayList<>(record.fields().size() + extracted.size());
        for (Map.Entry<String, Object> e : record.fields().entrySet()) {
            if (e.getValue() != null) {
                out.add(e.getValue().toString());
            }
        }
        out.addAll(extracted.values());
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizedLog && ((NormalizedLog) o).record.equals(record)
                && ((NormalizedLog) o).extracted.equals(extracted);
    }

    @Override
    public int hashCode() {
        return record.hashCode() * 31 + extracted.hashCode();
    }

    @Override
    public String toString() {
        return "NormalizedLog{" + record + ", extracted=" + extracted.keySet() + "}";
    }
}
