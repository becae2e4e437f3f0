package io.fendersec.detect.normalize;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fendersec.detect.sigma.Event;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * One log's extracted fields, each computed the first time something asks for it. Most rules read
 * a handful of fields, and most extractors run a regular expression, so extracting only what is
 * read is where normalization saves most of its cost.
 *
 * <p>The result is exactly that of running the extractors eagerly in order: a field's value is
 * that of its first extractor (in configuration order) that yields one, and an extractor's
 * {@code when} and {@code from} see only the fields extracted by the extractors before it
 * ({@link #get(String, int)} with that extractor's index as the limit). Limits only decrease
 * along a chain of lookups, so extraction cannot recurse forever. Not thread-safe: a log is
 * handled by one thread.
 */
final class LazyExtraction {
    private static final int NONE = -1;

    private final ExtractionPlan plan;
    private final LogRecord record;
    private final String[] values;
    /** Per slot: how many of its writers have run. */
    private final int[] ran;
    /** Per slot: the index of the extractor that yielded the value, or {@link #NONE}. */
    private final int[] winner;
    private final FoldedTexts folded = new FoldedTexts();
    private String kvText;
    private boolean kvKnown;

    LazyExtraction(ExtractionPlan plan, LogRecord record) {
        this.plan = plan;
        this.record = record;
        this.values = new String[plan.size()];
        this.ran = new int[plan.size()];
        this.winner = new int[plan.size()];
        Arrays.fill(winner, NONE);
    }

    /** The extracted value of {@code field} counting only extractors before index {@code limit}, or null. */
    String get(String field, int limit) {
        int s = plan.slot(field);
        return s < 0 ? null : resolve(s, limit);
    }

    private String resolve(int s, int limit) {
        if (winner[s] != NONE) {
            return winner[s] < limit ? values[s] : null;
        }
        int[] writers = plan.writers[s];
        while (ran[s] < writers.length && writers[ran[s]] < limit) {
            int k = writers[ran[s]++];
            Extractor x = plan.extractors[k];
            Before before = new Before(k);
            String source = plan.fromRecord[k] ? NormalizedLog.recordValue(record, x.from())
                    : Extractor.FROM_KEY_VALUE.equals(x.from()) ? kvText() : before.get(x.from());
            String v = x.extractFrom(source, before, folded);
            if (v != null) {
                winner[s] = k;
                values[s] = v;
                return v;
            }
        }
        return null;
    }

    /** Every field extracted by the extractors before {@code limit}, in the order eager extraction finds them. */
    Map<String, String> all(int limit) {
        Integer[] order = new Integer[values.length];
        int n = 0;
        for (int s = 0; s < values.length; s++) {
            if (resolve(s, limit) != null) {
                order[n++] = s;
            }
        }
        Arrays.sort(order, 0, n, (a, b) -> Integer.compare(winner[a], winner[b]));
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(plan.fields[order[i]], values[order[i]]);
        }
        return out;
    }

    /** The lower-cased texts this log's extractors have read. */
    FoldedTexts texts() {
        return folded;
    }

    /** The key-value pair as {@code key=value}, or null when the log has none. */
    String kvText() {
        if (!kvKnown) {
            String key = record.getString(LogFields.KEY_VALUE_KEY);
            kvText = key == null ? null : key + "=" + record.getString(LogFields.KEY_VALUE_VALUE);
            kvKnown = true;
        }
        return kvText;
    }

    /** The log as extractor {@code limit} sees it: its own fields and what the extractors before it found. */
    private final class Before implements Event {
        private final int limit;

        Before(int limit) {
            this.limit = limit;
        }

        @Override
        public String get(String field) {
            String v = LazyExtraction.this.get(field, limit);
            return v != null ? v : NormalizedLog.recordValue(record, field);
        }

        @Override
        public boolean has(String field) {
            return LazyExtraction.this.get(field, limit) != null || NormalizedLog.recordHas(record, field);
        }

        @Override
        public Iterable<String> values() {
            List<String> out = NormalizedLog.recordValues(record);
            out.addAll(all(limit).values());
            return out;
        }
    }

    /**
     * For {@link NormalizedLog#keywordMayMatch}: every text an extracted value can be a piece of
     * but {@code skip} (the caller tests that one itself), lower case; null when lower-casing a
     * piece could differ from the piece of the lower-cased text (a capital sigma lower-cases by its
     * context), so that the caller uses the exact text.
     */
    String sourcesText(String skip) {
        StringBuilder b = new StringBuilder(128);
        for (Object v : record.fields().values()) {
            if (v == skip) {
                continue;
            }
            if (v instanceof Long) {
                b.append((long) (Long) v).append(Event.KEYWORD_SEPARATOR); // digits have no case
            } else if (v != null && !appendLower(v.toString(), b)) {
                return null;
            }
        }
        if (kvText() != null && !appendLower(kvText, b)) {
            return null;
        }
        return b.append(plan.constantsText).toString();
    }

    /** The {@link CharMask} of what {@link #sourcesText(String)} would hold, without building it. */
    /** The names of every field an extractor may write (whether or not it will). */
    String[] fieldNames() {
        return plan.fields;
    }

    long sourcesMask(String skip) {
        long m = plan.constantsMask;
        for (Object v : record.fields().values()) {
            if (v != skip && v != null) {
                m |= v instanceof String ? CharMask.of((String) v) : CharMask.of(v.toString());
            }
        }
        return kvText() == null ? m : m | CharMask.of(kvText);
    }

    private static boolean appendLower(String v, StringBuilder b) {
        if (v.indexOf('\u03a3') >= 0) {
            return false;
        }
        b.append(v.toLowerCase(Locale.ROOT)).append(Event.KEYWORD_SEPARATOR);
        return true;
    }
}
