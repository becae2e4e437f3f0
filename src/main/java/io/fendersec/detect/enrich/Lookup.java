package io.fendersec.detect.enrich;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One joined table: the log field whose value is looked up ({@code key}), the table, and the
 * prefix its columns get as fields ({@code prefix: vip} and a column {@code tier} give
 * {@code vip.tier}). Every column is joined, the key column included (for a CIDR table, the
 * network that matched). Immutable.
 */
public record Lookup(String keyField, String prefix, LookupTable table) implements Serializable {
    public Lookup {
        Objects.requireNonNull(keyField, "keyField");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(table, "table");
    }

    /** The fields this lookup adds, in column order. */
    public List<String> fields() {
        List<String> out = new ArrayList<>();
        for (String c : table.columns()) {
            out.add(prefix + "." + c);
        }
        return out;
    }
}
