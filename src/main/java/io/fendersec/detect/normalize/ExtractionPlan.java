package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.sigma.Event;

/**
 * A normalizer's extractors arranged for on-demand extraction: each extracted field gets a slot,
 * and each slot the extractors that write it, in configuration order (the first that yields a
 * value wins). Built once per normalizer; shared by every log it normalizes.
 */
final class ExtractionPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    final Extractor[] extractors;
    /** Field name → slot. */
    private final Map<String, Integer> slots;
    /** Slot → field name. */
    final String[] fields;
    /** Slot → indexes into {@link #extractors}, ascending. */
    final int[][] writers;
    /**
     * The constants extractors may store ({@code value:}), lower case and joined by
     * {@link Event#KEYWORD_SEPARATOR}: the only extracted text that is not a piece of the log's
     * own fields, so a keyword absent from both cannot be in any extracted value.
     */
    final String constantsText;
    /** The {@link CharMask} of {@link #constantsText}. */
    final long constantsMask;
    /**
     * Per extractor: whether it reads a field of the log itself that no extractor writes (such as
     * {@code text}), which can then be read from the record directly.
     */
    final boolean[] fromRecord;

    ExtractionPlan(List<Extractor> list) {
        this.extractors = list.toArray(new Extractor[0]);
        Map<String, List<Integer>> byField = new LinkedHashMap<>();
        Set<String> constants = new LinkedHashSet<>();
        for (int i = 0; i < extractors.length; i++) {
            byField.computeIfAbsent(extractors[i].field(), f -> new ArrayList<>()).add(i);
            if (extractors[i].constant() != null) {
                constants.add(extractors[i].constant().toLowerCase(Locale.ROOT));
            }
        }
        this.slots = new HashMap<>();
        this.fields = new String[byField.size()];
        this.writers = new int[byField.size()][];
        int s = 0;
        for (Map.Entry<String, List<Integer>> e : byField.entrySet()) {
            slots.put(e.getKey(), s);
            fields[s] = e.getKey();
            writers[s] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            s++;
        }
        this.fromRecord = new boolean[extractors.length];
        for (int i = 0; i < extractors.length; i++) {
            String from = extractors[i].from();
            fromRecord[i] = !Extractor.FROM_KEY_VALUE.equals(from) && !byField.containsKey(from);
        }
        StringBuilder b = new StringBuilder();
        for (String c : constants) {
            b.append(c).append(Event.KEYWORD_SEPARATOR);
        }
        this.constantsText = b.toString();
        this.constantsMask = CharMask.of(constantsText);
    }

    /** The slot of an extracted field, or -1 when no extractor writes it. */
    int slot(String field) {
        Integer s = slots.get(field);
        return s == null ? -1 : s;
    }

    int size() {
        return fields.length;
    }
}
