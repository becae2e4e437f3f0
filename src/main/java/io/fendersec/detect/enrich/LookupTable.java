package io.fendersec.detect.enrich;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fendersec.detect.sigma.InetParsing;

/**
 * A compiled lookup table: its columns and rows, indexed by the key column. Built from a file's
 * text alone ({@link #parse}), immutable and {@link Serializable}, so the same value can be built
 * wherever the text travels (the job graph today; a broadcast of rule texts for live reload).
 *
 * <p>Keys: with {@link KeyMatch#EXACT} compared case-insensitively (lower case, {@link Locale#ROOT});
 * with {@link KeyMatch#CIDR} a key cell is a network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or
 * one address, matched by longest prefix. A key written twice (the same network, or the same key
 * ignoring case) is an error naming both lines: a silent "last wins" would hide a mistake in a
 * list meant to say who is trusted. Rows with an empty key are errors too.
 */
public final class LookupTable implements Serializable {
    private static final long serialVersionUID = 1L;

    /** At most this many characters of text: a lookup lives in every task's memory (and in the job graph). */
    public static final int MAX_CHARS = 16 * 1024 * 1024;
    /** At most this many rows. */
    public static final int MAX_ROWS = 500_000;
    /** At most this many columns. */
    public static final int MAX_COLUMNS = 64;

    private final String name;
    private final String[] columns;
    private final int keyColumn;
    private final KeyMatch match;
    private final String[][] rows;
    /** EXACT: lower-case key → row. */
    private final Map<String, Integer> exact;
    /** CIDR: network → row. */
    private final CidrIndex networks;

    private LookupTable(String name, String[] columns, int keyColumn, KeyMatch match, String[][] rows,
                        Map<String, Integer> exact, CidrIndex networks) {
        this.name = name;
        this.columns = columns;
        this.keyColumn = keyColumn;
        this.match = match;
        this.rows = rows;
        this.exact = exact;
        this.networks = networks;
    }

    /**
     * Reads a lookup table from its text.
     *
     * @param name      the file name, for errors ({@code devices.csv line 7: ...})
     * @param keyColumn the key column's name, or null for the first column
     * @throws TableException naming the file and line of the first problem
     */
    public static LookupTable parse(String name, String text, LookupFormat format, String keyColumn, KeyMatch match) {
        if (text.length() > MAX_CHARS) {
            throw new TableException(name, "holds " + text.length() + " characters, more than the " + MAX_CHARS
                    + " a lookup may hold (each task keeps it in memory): split it, or keep only the rows rules need");
        }
        TableText.Table t = TableText.parse(name, text, format);
        if (t.columns().size() > MAX_COLUMNS) {
            throw new TableException(name, t.rows().isEmpty() ? 1 : t.rows().get(0).line(), t.columns().size()
                    + " columns, more than " + MAX_COLUMNS);
        }
        if (t.rows().size() > MAX_ROWS) {
            throw new TableException(name, t.rows().get(MAX_ROWS).line(), "more than " + MAX_ROWS
                    + " rows, the most a lookup may hold (each task keeps it in memory)");
        }
        int key = keyColumn == null ? 0 : t.columns().indexOf(keyColumn);
        if (key < 0) {
            throw new TableException(name, "no column '" + keyColumn + "' (columns: " + String.join(", ", t.columns())
                    + ")");
        }
        String[][] rows = new String[t.rows().size()][];
        Map<String, Integer> exact = match == KeyMatch.EXACT ? new HashMap<>(rows.length * 4 / 3 + 1) : null;
        CidrIndex networks = match == KeyMatch.CIDR ? new CidrIndex() : null;
        for (int i = 0; i < rows.length; i++) {
            TableText.Row r = t.rows().get(i);
            rows[i] = r.cells();
            String k = r.cells()[key];
            if (k == null || k.isBlank()) {
                throw new TableException(name, r.line(), "no value in the key column '" + t.columns().get(key) + "'");
            }
            int before;
            if (match == KeyMatch.EXACT) {
                Integer b = exact.putIfAbsent(k.toLowerCase(Locale.ROOT), i);
                before = b == null ? -1 : b;
            } else {
                before = putNetwork(networks, name, r.line(), k.strip(), i);
            }
            if (before >= 0) {
                throw new TableException(name, r.line(), "the key '" + io.fendersec.error.TerminalText.line(k)
                        + "' again (first at line " + t.rows().get(before).line() + "); each key once");
            }
        }
        return new LookupTable(name, t.columns().toArray(new String[0]), key, match, rows, exact,
                networks == null ? null : networks.compact());
    }

    private static int putNetwork(CidrIndex networks, String name, int line, String cidr, int row) {
        int slash = cidr.indexOf('/');
        byte[] address = InetParsing.parse(slash < 0 ? cidr : cidr.substring(0, slash));
        if (address == null) {
            throw new TableException(name, line, "'" + io.fendersec.error.TerminalText.line(cidr)
                    + "' is not an IP network such as 10.0.0.0/8, 2001:db8::/32 or one address");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = cidr.substring(slash + 1);
            prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
            if (prefix < 0 || prefix > bits) {
                throw new TableException(name, line, "'" + io.fendersec.error.TerminalText.line(cidr)
                        + "': the prefix length must be 0 to " + bits);
            }
        }
        return networks.put(address, prefix, row);
    }

    /** The row whose key matches {@code key}, or null. Never resolves host names. */
    public String[] find(String key) {
        if (key == null) {
            return null;
        }
        if (match == KeyMatch.EXACT) {
            Integer i = exact.get(key.toLowerCase(Locale.ROOT));
            return i == null ? null : rows[i];
        }
        byte[] address = InetParsing.parse(key.strip());
        if (address == null) {
            return null;
        }
        int i = networks.longestMatch(address);
        return i < 0 ? null : rows[i];
    }

    public String name() {
        return name;
    }

    public List<String> columns() {
        return List.of(columns);
    }

    public String keyColumn() {
        return columns[keyColumn];
    }

    public KeyMatch match() {
        return match;
    }

    public int size() {
        return rows.length;
    }

    @Override
    public String toString() {
        return "LookupTable{" + name + ", " + rows.length + " rows, key " + columns[keyColumn] + " (" + match.specName()
                + ")}";
    }
}
