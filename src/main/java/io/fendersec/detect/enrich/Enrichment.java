package io.fendersec.detect.enrich;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.fendersec.error.ConfigException;

/**
 * The job's enrichments: lookup tables joined by a log field, and GeoIP for {@code source.ip}. Each
 * adds fields ({@code vip.tier}, {@code geo.country}) that Sigma and SQL rules read like extracted
 * ones. A log computes an enrichment only when a rule reads one of its fields ({@link Values}), and
 * then once for all of that enrichment's fields. Immutable; shared by every log.
 *
 * <p>Enriched fields are the only answer for their names: a log whose key has no row has no
 * {@code vip.tier}, even if its key-value pair is named {@code vip.tier} (log text must not forge
 * a joined column).
 */
public final class Enrichment implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Enrichment NONE = new Enrichment(List.of(), null);

    private final List<Lookup> lookups;
    private final GeoIp geoIp;
    private final String[] fields;
    private final List<String> fieldList;
    /** Per field: its source (a lookup's index, or lookups.size() for GeoIP) and its column there. */
    private final int[] source;
    private final int[] column;
    private final Map<String, Integer> slots;

    private Enrichment(List<Lookup> lookups, GeoIp geoIp) {
        this.lookups = List.copyOf(lookups);
        this.geoIp = geoIp;
        Map<String, int[]> byName = new LinkedHashMap<>();
        for (int i = 0; i < this.lookups.size(); i++) {
            List<String> fs = this.lookups.get(i).fields();
            for (int c = 0; c < fs.size(); c++) {
                if (byName.put(fs.get(c), new int[] {i, c}) != null) {
                    throw new ConfigException("enrich.lookups[" + i + "]: field '" + fs.get(c)
                            + "' is also joined by an earlier lookup; give it another prefix");
                }
            }
        }
        if (geoIp != null) {
            for (int c = 0; c < GeoIp.FIELDS.size(); c++) {
                if (byName.put(GeoIp.FIELDS.get(c), new int[] {this.lookups.size(), c}) != null) {
                    throw new ConfigException("enrich.geoip: field '" + GeoIp.FIELDS.get(c)
                            + "' is also joined by a lookup; give the lookup another prefix than geo");
                }
            }
        }
        this.fields = byName.keySet().toArray(new String[0]);
        this.fieldList = List.of(fields);
        this.source = new int[fields.length];
        this.column = new int[fields.length];
        this.slots = new HashMap<>();
        for (int s = 0; s < fields.length; s++) {
            int[] sc = byName.get(fields[s]);
            source[s] = sc[0];
            column[s] = sc[1];
            slots.put(fields[s], s);
        }
        for (int i = 0; i < this.lookups.size(); i++) {
            String key = this.lookups.get(i).keyField();
            if (slots.containsKey(key)) {
                throw new ConfigException("enrich.lookups[" + i + "].key: '" + key
                        + "' is a joined field; a lookup's key is a field of the log or of normalization");
            }
        }
    }

    public static Enrichment none() {
        return NONE;
    }

    /** @param geoIp null for none */
    public static Enrichment of(List<Lookup> lookups, GeoIp geoIp) {
        return lookups.isEmpty() && geoIp == null ? NONE : new Enrichment(lookups, geoIp);
    }

    public boolean isEmpty() {
        return fields.length == 0;
    }

    public List<Lookup> lookups() {
        return lookups;
    }

    public GeoIp geoIp() {
        return geoIp;
    }

    /** Every field an enrichment may add. */
    public List<String> fieldNames() {
        return fieldList;
    }

    /** The slot of an enriched field, or -1. */
    public int slot(String field) {
        Integer s = slots.get(field);
        return s == null ? -1 : s;
    }

    /** One log's enriched fields, computed as read; {@code logField} reads the log's other fields. */
    public Values forLog(Function<String, String> logField) {
        return new Values(logField);
    }

    /** One log's enriched fields. Not thread-safe: a log is handled by one thread. */
    public final class Values {
        private static final String[] NO_ROW = new String[0];
        private final Function<String, String> logField;
        /** Per source: its row, {@link #NO_ROW} when looked up without a match, null until looked up. */
        private final String[][] rows = new String[lookups.size() + 1][];

        private Values(Function<String, String> logField) {
            this.logField = logField;
        }

        /** The value of the field in slot {@code s}, or null. */
        public String get(int s) {
            int src = source[s];
            String[] row = rows[src];
            if (row == null) {
                row = src < lookups.size() ? lookups.get(src).table().find(logField.apply(lookups.get(src).keyField()))
                        : geoIp.lookup(logField.apply(GeoIp.SOURCE_IP));
                rows[src] = row = row == null ? NO_ROW : row;
            }
            return row == NO_ROW ? null : row[column[s]];
        }

        /** Every enriched field with a value, in field order (runs every lookup not run yet). */
        public Map<String, String> all() {
            Map<String, String> out = new LinkedHashMap<>();
            for (int s = 0; s < fields.length; s++) {
                String v = get(s);
                if (v != null) {
                    out.put(fields[s], v);
                }
            }
            return out;
        }
    }

    /** The names of the fields, for messages. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Lookup l : lookups) {
            out.add(l.prefix() + ".* from " + l.table().name() + " by " + l.keyField());
        }
        if (geoIp != null) {
            out.add("geo.country, geo.city, geo.location from " + geoIp.path() + " by source.ip");
        }
        return out;
    }
}
