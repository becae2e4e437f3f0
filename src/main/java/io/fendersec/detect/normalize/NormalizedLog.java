package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.LiteralPrefilter;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * A log plus the fields normalization extracted from it. Field lookup order: extracted fields,
 * then the API's fields, then the log's key-value pair ({@code key_value_key} names a field
 * whose value is {@code key_value_value}).
 *
 * <p>A log from {@link Normalizer#normalize} extracts each field the first time it is read (see
 * {@link LazyExtraction}): rules read few fields, so most extractors never run. What it answers
 * is what eager extraction would give, so the value is immutable in meaning; the caches behind it
 * make it unsafe to share between threads. Serialized by {@link NormalizedLogSerializer}, which
 * writes every extracted field.
 */
@TypeInfo(NormalizedLogTypeInfoFactory.class)
public final class NormalizedLog implements Event, Serializable {
    private static final long serialVersionUID = 1L;

    private final LogRecord record;
    /** Every extracted field; null until asked for when extraction is lazy. */
    private Map<String, String> extracted;
    private final transient LazyExtraction lazy;
    /**
     * Fields the pipeline knows about the log besides its content (e.g. {@code device.clock}), for a
     * lazy log; null when none. Keyword searches do not see them: they are not in the log.
     */
    private final transient Map<String, String> derived;
    /** The job's lookups and GeoIP, for a lazy log; null when none. */
    private final transient Enrichment enrichment;
    /** This log's enriched fields, computed as read; null when no enrichment. Shared with {@link #with} copies. */
    private final transient Enrichment.Values enriched;
    /** How group-by and value_count fields compare; null after Java deserialization (then the defaults). */
    private final transient GroupKeys keys;
    // Caches for the many rules that read the same log; filled lazily, never serialized.
    private transient Map<String, String> lowerCache;
    private transient FoldedTexts texts;
    private transient List<String> valuesCache;
    private transient List<String> lowerValuesCache;
    private transient String keywordTextCache;
    private transient String keywordOthers;
    private transient String keywordLowerText;
    private transient long keywordOthersMask;

    /** A log whose extracted fields are known, with the default key decisions. */
    public NormalizedLog(LogRecord record, Map<String, String> extracted) {
        this(record, extracted, null);
    }

    /** A log whose extracted fields are known; {@code keys} null for the defaults. */
    NormalizedLog(LogRecord record, Map<String, String> extracted, GroupKeys keys) {
        this.record = Objects.requireNonNull(record, "record");
        this.extracted = Collections.unmodifiableMap(new LinkedHashMap<>(extracted));
        this.lazy = null;
        this.derived = null;
        this.enrichment = null;
        this.enriched = null;
        this.keys = keys;
    }

    /**
     * A log whose fields {@code plan} extracts when they are first read, and {@code enrichment}
     * (null for none) joins when first read.
     */
    NormalizedLog(LogRecord record, ExtractionPlan plan, Enrichment enrichment, GroupKeys keys) {
        this.record = Objects.requireNonNull(record, "record");
        this.lazy = new LazyExtraction(plan, record);
        this.derived = null;
        this.enrichment = enrichment;
        this.keys = keys;
        // A lookup's key is read without enrichment (keys are log or extracted fields).
        this.enriched = enrichment == null ? null : enrichment.forLog(this::unenriched);
    }

    private NormalizedLog(LogRecord record, LazyExtraction lazy, Map<String, String> derived, Enrichment enrichment,
                          Enrichment.Values enriched, GroupKeys keys) {
        this.record = record;
        this.lazy = lazy;
        this.derived = derived;
        this.enrichment = enrichment;
        this.enriched = enriched;
        this.keys = keys;
    }

    /**
     * This log with one more field that is not in its content but known to the pipeline, such as
     * {@code device.clock: ahead} for a log dated past its fetch (see {@code DeviceClock}). It wins
     * over an extracted field of the same name and counts as extracted (serialized with them).
     */
    public NormalizedLog with(String field, String value) {
        if (lazy == null) {
            Map<String, String> m = new LinkedHashMap<>(extracted);
            m.put(field, value);
            return new NormalizedLog(record, m, keys);
        }
        Map<String, String> d = derived == null ? new LinkedHashMap<>() : new LinkedHashMap<>(derived);
        d.put(field, value);
        return new NormalizedLog(record, lazy, Collections.unmodifiableMap(d), enrichment, enriched, keys);
    }

    public LogRecord record() {
        return record;
    }

    /** How this log's group-by and value_count fields compare. */
    public GroupKeys keys() {
        return keys != null ? keys : Normalizer.defaultKeys();
    }

    /**
     * {@code field} as a correlation's group key: its canonical form when the field is folded, the
     * placeholder {@link GroupKeys#ABSENT} when absent and allowed to be, null when the hit does
     * not count ({@link GroupKeys#group}). {@link #get} still gives the original.
     */
    public String groupValue(String field) {
        return keys().group(field, get(field));
    }

    /** {@code field} as a {@code value_count} value (canonical when folded), or null when absent. */
    public String countedValue(String field) {
        return keys().counted(field, get(field));
    }

    /**
     * The fields normalization added, in extraction order, then the enriched ones (runs every
     * extractor and lookup not run yet): what SQL rules see as {@code fields}, and what is serialized.
     */
    public Map<String, String> extracted() {
        if (extracted == null) {
            Map<String, String> all = extractedOnly();
            if (enriched != null) {
                all.putAll(enriched.all());
            }
            extracted = Collections.unmodifiableMap(all);
        }
        return extracted;
    }

    /** A lazy log's extracted and derived fields, without the enriched ones (a new map). */
    private Map<String, String> extractedOnly() {
        Map<String, String> all = new LinkedHashMap<>(lazy.all(Integer.MAX_VALUE));
        if (derived != null) {
            all.putAll(derived);
        }
        return all;
    }

    /** A field as the log and its extraction give it, without enrichment: what a lookup's key reads. */
    private String unenriched(String field) {
        String v = extractedValue(field);
        return v != null ? v : recordValue(record, field);
    }

    private String extractedValue(String field) {
        if (derived != null) {
            String v = derived.get(field);
            if (v != null) {
                return v;
            }
        }
        return lazy != null ? lazy.get(field, Integer.MAX_VALUE) : extracted.get(field);
    }

    @Override
    public String get(String field) {
        if (enriched != null) {
            int s = enrichment.slot(field);
            if (s >= 0) {
                return enriched.get(s); // the only answer for a joined field: log text cannot forge one
            }
        }
        String v = extractedValue(field);
        return v != null ? v : recordValue(record, field);
    }

    @Override
    public boolean has(String field) {
        if (enriched != null) {
            int s = enrichment.slot(field);
            if (s >= 0) {
                return enriched.get(s) != null;
            }
        }
        return extractedValue(field) != null || recordHas(record, field);
    }

    /** A field of the log itself (API field, then the key-value pair), or null. */
    static String recordValue(LogRecord record, String field) {
        Object v = record.get(field);
        if (v != null) {
            return v.toString();
        }
        if (record.has(field)) {
            return null; // JSON null
        }
        String key = record.getString(LogFields.KEY_VALUE_KEY);
        if (key != null && key.equals(field)) {
            return record.getString(LogFields.KEY_VALUE_VALUE);
        }
        return null;
    }

    static boolean recordHas(LogRecord record, String field) {
        return record.has(field) || field.equals(record.getString(LogFields.KEY_VALUE_KEY));
    }

    /** The log's own non-null values, in a new list the caller may extend. */
    static List<String> recordValues(LogRecord record) {
        List<String> out = new ArrayList<>(record.fields().size() + 8);
        for (Map.Entry<String, Object> e : record.fields().entrySet()) {
            if (e.getValue() != null) {
                out.add(e.getValue().toString());
            }
        }
        return out;
    }

    /**
     * Calls {@code action} with every field name that may have a value in this log (its own fields,
     * its key-value pair's key, every field an extractor may write), some perhaps twice; a name not
     * passed has no value. Extracts nothing. The rule index reads only these fields, so that rules
     * reading fields this log does not have cost it nothing however many there are.
     */
    public void forEachPossibleField(java.util.function.Consumer<String> action) {
        for (String f : record.fields().keySet()) {
            action.accept(f);
        }
        String key = record.getString(LogFields.KEY_VALUE_KEY);
        if (key != null) {
            action.accept(key);
        }
        if (lazy != null) {
            for (String f : lazy.fieldNames()) {
                action.accept(f);
            }
            if (enrichment != null) {
                for (String f : enrichment.fieldNames()) {
                    action.accept(f);
                }
            }
        } else {
            extracted.keySet().forEach(action);
        }
    }

    @Override
    public String lower(String field) {
        if (lowerCache == null) {
            lowerCache = new HashMap<>();
        }
        String cached = lowerCache.get(field);
        if (cached == null && !lowerCache.containsKey(field)) {
            String v = get(field);
            cached = v == null ? null : texts().lower(v);
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

    /** Lower-cased texts, shared with extraction so that a log's text is lower-cased once. */
    private FoldedTexts texts() {
        if (texts == null) {
            texts = lazy != null ? lazy.texts() : new FoldedTexts();
        }
        return texts;
    }

    @Override
    public String keywordText() {
        if (keywordTextCache == null) {
            keywordTextCache = Event.super.keywordText();
        }
        return keywordTextCache;
    }

    /**
     * False only when no value, extracted ones included, can contain {@code literal} (lower case),
     * found without extracting anything: it is looked up in the log's own values, its key-value
     * pair and the extractors' constants, of which every extracted value is a piece. The rule index
     * tests keyword literals with this and leaves extraction to the rules it keeps. The text field
     * is tested in the lower-cased copy rules already share, the rest in one joined copy.
     */
    public boolean keywordMayMatch(String literal) {
        return keywordMayMatch(literal, CharMask.of(literal));
    }

    /** The character mask of a keyword literal, for {@link #keywordMayMatch(String, long)}; compute it once. */
    public static long keywordMask(String literal) {
        return CharMask.of(literal);
    }

    /** {@link #keywordMayMatch(String)} with the literal's mask computed once ({@link #keywordMask}). */
    public boolean keywordMayMatch(String literal, long literalMask) {
        if (lazy == null) {
            return keywordText().contains(literal);
        }
        if (keywordLowerText().contains(literal)) {
            return true;
        }
        // Most literals need a letter none of the other values has (uuids, times, versions):
        // then the joined copy of those values is never built.
        return CharMask.mayContain(keywordOthersMask, literalMask) && keywordOthers().contains(literal);
    }

    /**
     * Adds to {@code found} every literal of {@code keywords} for which {@link #keywordMayMatch(String)}
     * is true, in one search of each text instead of one per literal (the answer is the same
     * literal by literal).
     */
    public void keywordsMayMatch(LiteralSet keywords, LiteralSet.Found found) {
        if (lazy == null) {
            keywords.findIn(keywordText(), found);
            return;
        }
        keywords.findIn(keywordLowerText(), found);
        keywords.findIn(keywordOthers(), found, keywordOthersMask);
    }

    /** The text field lower-cased (keyword searches); sets {@link #keywordOthersMask} too. */
    private String keywordLowerText() {
        if (keywordLowerText == null) {
            String text = record.text();
            if (text != null && text.indexOf('\u03a3') >= 0) {
                keywordLowerText = "";
                keywordOthers = keywordText(); // a capital sigma lower-cases by context: the exact text
                keywordOthersMask = CharMask.ALL;
            } else {
                keywordLowerText = text == null ? "" : texts().lower(text);
                keywordOthersMask = lazy.sourcesMask(text);
            }
        }
        return keywordLowerText;
    }

    /** Every text but the text field that an extracted value can be a piece of, lower case, joined. */
    private String keywordOthers() {
        keywordLowerText();
        if (keywordOthers == null) {
            String others = lazy.sourcesText(record.text());
            keywordOthers = others != null ? others : keywordText();
        }
        return keywordOthers;
    }

    @Override
    public Iterable<String> values() {
        if (valuesCache == null) {
            List<String> out = recordValues(record);
            // Keyword searches cover what normalization found in the log, not the joined columns.
            out.addAll(lazy == null ? extracted().values() : extractedOnly().values());
            valuesCache = Collections.unmodifiableList(out);
        }
        return valuesCache;
    }

    @Override
    public List<String> lowerValues() {
        if (lowerValuesCache == null) {
            List<String> out = new ArrayList<>();
            for (String v : values()) {
                out.add(texts().lower(v));
            }
            lowerValuesCache = Collections.unmodifiableList(out);
        }
        return lowerValuesCache;
    }

    /** Java serialization (Flink closures) carries the extracted fields, not the extractors. */
    private Object writeReplace() {
        return lazy == null ? this : new NormalizedLog(record, extracted());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizedLog && ((NormalizedLog) o).record.equals(record)
                && ((NormalizedLog) o).extracted().equals(extracted());
    }

    @Override
    public int hashCode() {
        return record.hashCode() * 31 + extracted().hashCode();
    }

    @Override
    public String toString() {
        return "NormalizedLog{" + record + ", extracted=" + extracted().keySet() + "}";
    }
}
