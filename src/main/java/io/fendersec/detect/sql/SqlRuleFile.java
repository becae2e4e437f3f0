package io.fendersec.detect.sql;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.error.ConfigException;

/**
 * One {@code .sql} rule file: a single query over the {@code logs} table, preceded by optional
 * header comments {@code -- rule:}, {@code -- title:}, {@code -- severity:}, {@code -- tags:}.
 * The header ends at the first line that is neither a comment nor blank.
 *
 * @param where the file as named in error messages
 * @param query the file's text with a trailing semicolon removed; comments are kept so that the
 *              planner's line numbers are the file's line numbers
 */
public record SqlRuleFile(String where, String ruleId, String title, String severity, List<String> tags,
                          String query) implements Serializable {
    static final Set<String> SEVERITIES = Set.of("informational", "low", "medium", "high", "critical");
    private static final Set<String> HEADER_KEYS = Set.of("rule", "title", "severity", "tags");
    private static final Pattern HEADER = Pattern.compile("^--\\s*([A-Za-z_-]+)\\s*:\\s*(.*?)\\s*$");
    /** Same shape as Sigma rule names, so SQL and Sigma ids look alike in alerts. */
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public SqlRuleFile {
        tags = List.copyOf(tags);
    }

    public static SqlRuleFile read(Path file) {
        String text;
        try {
            text = io.fendersec.detect.files.TextFiles.readRuleText(file, "SQL rule file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read SQL rule: " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        return parse(file.toString(), name.endsWith(".sql") ? name.substring(0, name.length() - 4) : name, text);
    }

    /** Parses {@code text}; {@code defaultId} (the file name without .sql) applies without {@code -- rule:}. */
    static SqlRuleFile parse(String where, String defaultId, String text) {
        String ruleId = defaultId;
        String title = null;
        String severity = "medium";
        List<String> tags = List.of();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("--")) {
                break;
            }
            Matcher m = HEADER.matcher(line);
            if (!m.matches() || !HEADER_KEYS.contains(m.group(1).toLowerCase())) {
                continue; // an ordinary comment
            }
            String value = m.group(2);
            String at = where + ":" + (i + 1);
            switch (m.group(1).toLowerCase()) {
                case "rule" -> ruleId = value;
                case "title" -> title = value;
                case "severity" -> {
                    severity = value.toLowerCase();
                    if (!SEVERITIES.contains(severity)) {
                        throw new ConfigException(at + ": severity '" + value
                                + "' is not one of informational, low, medium, high, critical");
                    }
                }
                default -> tags = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .toList();
            }
        }
        if (!RULE_ID.matcher(ruleId).matches()) {
            throw new ConfigException(where + ": rule id '" + ruleId
                    + "' must be letters, digits, '.', '_' or '-' (set it with '-- rule: name')");
        }
        String query = text.strip();
        while (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        if (query.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
            throw new ConfigException(where + ": no query (expected one SELECT over the logs table)");
        }
        return new SqlRuleFile(where, ruleId, title == null ? ruleId : title, severity, tags, query);
    }

    /** Reads every file; rule ids must be unique. */
    static List<SqlRuleFile> readAll(List<Path> files) {
        List<SqlRuleFile> out = new ArrayList<>();
        for (Path p : files) {
            SqlRuleFile f = read(p);
            for (SqlRuleFile o : out) {
                if (o.ruleId().equals(f.ruleId())) {
                    throw new ConfigException(f.where() + ": rule id '" + f.ruleId() + "' is also used by " + o.where());
                }
            }
            out.add(f);
        }
        return out;
    }
}
