package io.fendersec.detect.sigma;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import io.fendersec.error.ConfigException;

/**
 * A YAML value that remembers where it was written. Jackson's tree model drops locations, and a
 * rule author needs "file:line" in every error, so rule files are read into this small tree
 * straight from Jackson's YAML token stream.
 *
 * <p>Two YAML features are refused, each with its line: aliases ({@code *name}), which Jackson
 * reports as the plain text of the anchor's name (so {@code {text|contains: *k}} would search for
 * the letter k), and a key written twice in one mapping, which would otherwise be last-wins.
 */
public final class YamlNode {
    /** Thread-safe once configured; creating one per file costs more than reading a small rule. */
    private static final YAMLFactory YAML = new YAMLFactory();

    private final String file;
    private final int line;
    private final Object value; // Map<String,YamlNode>, List<YamlNode>, String, Long, Double, Boolean or null

    private YamlNode(String file, int line, Object value) {
        this.file = file;
        this.line = line;
        this.value = value;
    }

    /** Every YAML document in the text, in order. */
    public static List<YamlNode> readAll(Reader reader, String file) {
        List<YamlNode> docs = new ArrayList<>();
        try (JsonParser p = YAML.createParser(reader)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                docs.add(read(p, t, file));
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return docs;
    }

    private static YamlNode read(JsonParser p, JsonToken t, String file) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw new ConfigException(file + ":" + line + ": YAML alias '*" + p.getText()
                    + "' is not supported in rules: write the value out");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, YamlNode> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                        throw new ConfigException(file + ":" + keyLine + ": YAML alias '*" + name
                                + "' is not supported in rules: write the key out");
                    }
                    if (map.containsKey(name)) {
                        throw new ConfigException(file + ":" + keyLine + ": key '" + name
                                + "' is written twice in one mapping (first at line " + map.get(name).line + ")");
                    }
                    map.put(name, read(p, p.nextToken(), file));
                }
                return new YamlNode(file, line, Collections.unmodifiableMap(map));
            }
            case START_ARRAY: {
                List<YamlNode> list = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, n, file));
                }
                return new YamlNode(file, line, Collections.unmodifiableList(list));
            }
            case VALUE_STRING:
                return new YamlNode(file, line, p.getText());
            case VALUE_NUMBER_INT:
                return new YamlNode(file, line, p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return new YamlNode(file, line, p.getDoubleValue());
            case VALUE_TRUE:
                return new YamlNode(file, line, Boolean.TRUE);
            case VALUE_FALSE:
                return new YamlNode(file, line, Boolean.FALSE);
            case VALUE_NULL:
                return new YamlNode(file, line, null);
            default:
                throw new ConfigException(file + ":" + line + ": unexpected YAML token " + t);
        }
    }

    /** Wraps a plain Java value (maps, lists, scalars) as a node, e.g. from a job spec already parsed. */
    @SuppressWarnings("unchecked")
    public static YamlNode of(Object v, String file) {
        if (v instanceof YamlNode) {
            return (YamlNode) v;
        }
        if (v instanceof Map) {
            Map<String, YamlNode> map = new LinkedHashMap<>();
            ((Map<Object, Object>) v).forEach((k, x) -> map.put(String.valueOf(k), of(x, file)));
            return new YamlNode(file, 0, Collections.unmodifiableMap(map));
        }
        if (v instanceof List) {
            List<YamlNode> list = new ArrayList<>();
            ((List<Object>) v).forEach(x -> list.add(of(x, file)));
            return new YamlNode(file, 0, Collections.unmodifiableList(list));
        }
        if (v instanceof Integer || v instanceof Short) {
            v = ((Number) v).longValue();
        }
        return new YamlNode(file, 0, v);
    }

    /**
     * A new value written where {@code where} was (its file and line, for messages), e.g. a rule
     * part a processing pipeline rewrote; maps, lists and scalars as {@link #of}.
     */
    public static YamlNode at(YamlNode where, Object v) {
        YamlNode n = of(v, where.file);
        return n == v ? n : new YamlNode(where.file, where.line, n.value);
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    public boolean isNull() {
        return value == null;
    }

    public boolean isScalar() {
        return !isMap() && !isList();
    }

    @SuppressWarnings("unchecked")
    public Map<String, YamlNode> asMap() {
        if (!isMap()) {
            throw error("expected a mapping");
        }
        return (Map<String, YamlNode>) value;
    }

    @SuppressWarnings("unchecked")
    public List<YamlNode> asList() {
        if (!isList()) {
            throw error("expected a list");
        }
        return (List<YamlNode>) value;
    }

    /** A scalar or a list of scalars, as a list. */
    public List<YamlNode> asListOrSingle() {
        return isList() ? asList() : List.of(this);
    }

    /** The scalar as text (numbers and booleans printed as YAML wrote them); null for null. */
    public String asText() {
        if (!isScalar()) {
            throw error("expected a single value");
        }
        if (value instanceof Double && ((Double) value) == Math.rint((Double) value)) {
            return value.toString();
        }
        return value == null ? null : value.toString();
    }

    public Object scalar() {
        return isScalar() ? value : null;
    }

    public YamlNode get(String key) {
        return isMap() ? asMap().get(key) : null;
    }

    public String text(String key) {
        YamlNode n = get(key);
        return n == null ? null : n.asText();
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    /** "file:line" for messages. */
    public String where() {
        return line > 0 ? file + ":" + line : file;
    }

    public ConfigException error(String message) {
        return new ConfigException(where() + ": " + message);
    }
}
