package io.fendersec.detect.enrich;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The rows of a lookup file, read from its text: CSV (RFC 4180: a header row, commas, fields in
 * double quotes may hold commas, line breaks and doubled quotes) or JSON lines (one flat object
 * per line; columns are the keys in order of first appearance). Every row keeps the line it
 * starts on, for errors such as {@code devices.csv line 7: 3 fields, the header has 2}.
 *
 * <p>Problems are {@link TableException}s naming the file and line; the job spec reader puts the
 * dotted key path in front.
 */
final class TableText {
    /** A table of text cells; a null cell is an absent value (JSON null or a missing key). */
    record Table(List<String> columns, List<Row> rows) {}

    record Row(int line, String[] cells) {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build());
    }

    private TableText() {}

    static Table parse(String name, String text, LookupFormat format) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark some editors write
        }
        return format == LookupFormat.CSV ? csv(name, text) : jsonLines(name, text);
    }

    private static Table csv(String name, String text) {
        List<Row> records = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int start = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean end = false;
            while (!end) {
                if (i >= n) {
                    if (quoted) {
                        throw new TableException(name, start, "a quoted field is not closed (a \" is missing)");
                    }
                    end = true;
                    break;
                }
                char c = text.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append(c);
                    }
                } else if (c == '"') {
                    if (cell.length() > 0 || wasQuoted) {
                        throw new TableException(name, line, "a \" inside an unquoted field (quote the whole field and double the \")");
                    }
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i < n && text.charAt(i) == '\n') {
                        i++;
                    }
                    line++;
                    end = true;
                } else {
                    if (wasQuoted) {
                        throw new TableException(name, line, "text after a quoted field's closing \"");
                    }
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            if (cells.size() == 1 && cells.get(0).isEmpty() && !wasQuoted) {
                continue; // a blank line
            }
            records.add(new Row(start, cells.toArray(new String[0])));
        }
        if (records.isEmpty()) {
            throw new TableException(name, 1, "no header row (a CSV lookup starts with its column names)");
        }
        Row header = records.get(0);
        List<String> columns = columns(name, header.line(), List.of(header.cells()));
        List<Row> rows = new ArrayList<>(records.size() - 1);
        for (Row r : records.subList(1, records.size())) {
            if (r.cells().length != columns.size()) {
                throw new TableException(name, r.line(), r.cells().length + " fields, the header has " + columns.size());
            }
            rows.add(r);
        }
        return new Table(columns, rows);
    }

    private static Table jsonLines(String name, String text) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<Map<String, String>> objects = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int line = 0;
        for (String l : (Iterable<String>) text.lines()::iterator) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(l);
            } catch (IOException e) {
                throw new TableException(name, line, "not valid JSON (" + firstLine(e.getMessage()) + ")");
            }
            if (node == null || !node.isObject()) {
                throw new TableException(name, line, "expected a JSON object such as {\"user\": \"ana\", \"tier\": \"gold\"}");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isContainerNode()) {
                    throw new TableException(name, line, "'" + e.getKey() + "' holds "
                            + (v.isArray() ? "a list" : "an object") + "; lookup values are text, numbers or booleans");
                }
                if (!columns.containsKey(e.getKey())) {
                    columns(name, line, List.of(e.getKey())); // checks the name
                    columns.put(e.getKey(), columns.size());
                }
                row.put(e.getKey(), v.isNull() ? null : v.asText());
            }
            objects.add(row);
            lines.add(line);
        }
        if (columns.isEmpty()) {
            throw new TableException(name, Math.max(line, 1), "no rows (a JSON-lines lookup has one object per line)");
        }
        List<String> names = List.copyOf(columns.keySet());
        List<Row> rows = new ArrayList<>(objects.size());
        for (int k = 0; k < objects.size(); k++) {
            String[] cells = new String[names.size()];
            for (Map.Entry<String, String> e : objects.get(k).entrySet()) {
                cells[columns.get(e.getKey())] = e.getValue();
            }
            rows.add(new Row(lines.get(k), cells));
        }
        return new Table(names, rows);
    }

    /** Checks column names: not empty, no control characters, no two alike. */
    private static List<String> columns(String name, int line, List<String> names) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String c : names) {
            String t = c.strip();
            if (t.isEmpty()) {
                throw new TableException(name, line, "an empty column name");
            }
            if (!t.equals(c) || t.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == '`')) {
                throw new TableException(name, line, "column name '" + io.fendersec.error.TerminalText.line(c)
                        + "' has blanks at an end, a control character or a backquote");
            }
            if (!seen.add(t)) {
                throw new TableException(name, line, "column '" + t + "' twice");
            }
        }
        return List.copyOf(names);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
