package io.fendersec.detect.selftest;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Durations;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * Reads a rule file's tests ({@code NAME.tests.yml}) strictly, as job specs are read: kebab-case
 * keys, an unknown key or a value of the wrong form is an error naming the file, line and dotted
 * key path ({@code tests[2].logs[0].repeat}). The format is in docs/rules.md, "Tests inside rules":
 * <pre>
 * start: 2026-03-01T10:00:00Z         # optional: what the logs' "at" counts from
 * tests:
 *   - name: ten failures in five minutes
 *     logs:
 *       - {at: +0s, repeat: 10, every: 20s, device.udid: a1, text: 'Login failed for bob'}
 *     expect: [brute-force]
 *     expect-not: [credential-stuffing]
 * </pre>
 * A log is a Bugfender log record as the API returns it, plus {@code at} (its {@code time} as an
 * offset from {@code start}), {@code repeat} and {@code every} (copies, {@code every} apart, with
 * {@code {n}} in their texts replaced by 1, 2, ...). Log field names are checked too: a misspelt
 * field would make a must-not-match example pass for the wrong reason.
 */
public final class RuleTestReader {
    /** What {@code at} counts from when neither the file nor the example gives a {@code start}. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");
    /** More copies than any window in the pack needs; a typo of {@code 1000000} should not fill the heap. */
    static final int MAX_REPEAT = 10_000;

    private static final Set<String> FILE_KEYS = Set.of("start", "tests");
    private static final Set<String> CASE_KEYS = Set.of("name", "start", "logs", "expect", "expect-not");
    private static final Set<String> LOG_KEYS = Set.of("at", "repeat", "every");
    private static final Set<String> LOG_FIELDS = Set.of(LogFields.UUID, LogFields.APP, LogFields.DEVICE_UDID,
            LogFields.DEVICE_NAME, LogFields.DEVICE_TYPE, LogFields.VERSION, LogFields.BUILD, LogFields.LANGUAGE,
            LogFields.OS_VERSION, LogFields.TIMEZONE, LogFields.TEXT, LogFields.METHOD, LogFields.FILE, LogFields.LINE,
            LogFields.LOG_LEVEL, LogFields.TAG, LogFields.TIME, LogFields.ABSOLUTE_TIME, LogFields.THREAD_ID,
            LogFields.THREAD_NAME, LogFields.URL, LogFields.TYPE, LogFields.ISSUE_ID, LogFields.ISSUE_TITLE,
            LogFields.KEY_VALUE_KEY, LogFields.KEY_VALUE_VALUE, LogFields.GAP_START, LogFields.GAP_END);
    /**
     * Fields a continuous job's arrival lane writes on a log it re-times (docs/rules.md, "The
     * arrival lane"): local evaluation has no arrival, so an example of a rule reading them gives
     * them as the lane would.
     */
    private static final Set<String> LANE_FIELDS = Set.of("device.clock", "device.clock.batch", "device.time");
    /** The app of a log that names none: alerts are per app, so every log needs one. */
    static final String DEFAULT_APP = "self-test";

    private RuleTestReader() {}

    /** The examples in {@code yaml}; {@code name} is the tests file, for messages. */
    public static List<RuleTestCase> read(String name, String yaml) {
        List<YamlNode> docs = YamlNode.readAll(new StringReader(yaml), name);
        if (docs.size() != 1 || !docs.get(0).isMap()) {
            throw new ConfigException(name + ": a tests file is one YAML mapping with 'tests:' (docs/rules.md, \"Tests inside rules\")");
        }
        YamlNode root = docs.get(0);
        allowOnly(root, "", FILE_KEYS, "start, tests");
        Instant fileStart = instant(root.get("start"), "start", DEFAULT_START);
        YamlNode tests = root.get("tests");
        if (tests == null || !tests.isList() || tests.asList().isEmpty()) {
            throw (tests == null ? root : tests).error("tests: expected a list of examples (name, logs, expect, expect-not)");
        }
        List<RuleTestCase> cases = new ArrayList<>();
        List<YamlNode> list = tests.asList();
        for (int i = 0; i < list.size(); i++) {
            cases.add(example(list.get(i), i, fileStart));
        }
        return cases;
    }

    private static RuleTestCase example(YamlNode c, int index, Instant fileStart) {
        String path = "tests[" + index + "]";
        if (!c.isMap()) {
            throw c.error(path + ": expected a mapping (name, logs, expect, expect-not)");
        }
        allowOnly(c, path, CASE_KEYS, "name, start, logs, expect, expect-not");
        YamlNode nameNode = c.get("name");
        if (nameNode == null || !nameNode.isScalar() || nameNode.asText() == null || nameNode.asText().isBlank()) {
            throw (nameNode == null ? c : nameNode).error(path + ".name: expected a short text saying what the example shows");
        }
        Instant start = instant(c.get("start"), path + ".start", fileStart);
        YamlNode logsNode = c.get("logs");
        if (logsNode == null || !logsNode.isList() || logsNode.asList().isEmpty()) {
            throw (logsNode == null ? c : logsNode).error(path + ".logs: expected a list of log records");
        }
        List<LogRecord> logs = new ArrayList<>();
        List<YamlNode> entries = logsNode.asList();
        for (int j = 0; j < entries.size(); j++) {
            logs(entries.get(j), path + ".logs[" + j + "]", start, index + "-" + j, logs);
        }
        List<String> expect = ids(c.get("expect"), path + ".expect");
        List<String> expectNot = ids(c.get("expect-not"), path + ".expect-not");
        if (expect.isEmpty() && expectNot.isEmpty()) {
            throw c.error(path + ": give expect (rule ids that must alert), expect-not (rule ids that must not), or both");
        }
        for (String id : expect) {
            if (expectNot.contains(id)) {
                throw c.get("expect-not").error(path + ".expect-not: '" + id + "' is also in expect");
            }
        }
        return new RuleTestCase(nameNode.asText(), c.where(), logs, expect, expectNot);
    }

    /** One entry of {@code logs}: a record, or {@code repeat} copies of it. */
    private static void logs(YamlNode l, String path, Instant start, String uuidPrefix, List<LogRecord> out) {
        if (!l.isMap()) {
            throw l.error(path + ": expected a log record (a mapping of Bugfender log fields, with at: +DURATION)");
        }
        for (Map.Entry<String, YamlNode> e : l.asMap().entrySet()) {
            String k = e.getKey();
            if (!LOG_KEYS.contains(k) && !LOG_FIELDS.contains(k) && !LANE_FIELDS.contains(k)
                    && !k.startsWith("interaction_")) {
                throw e.getValue().error(path + "." + k + ": unknown key (at, repeat, every, or a Bugfender log field: "
                        + String.join(", ", new TreeSet<>(LOG_FIELDS)) + "; or one the arrival lane writes: "
                        + String.join(", ", new TreeSet<>(LANE_FIELDS)) + ")");
            }
            if (!e.getValue().isScalar()) {
                throw e.getValue().error(path + "." + k + ": expected a single value");
            }
        }
        YamlNode at = l.get("at");
        YamlNode time = l.get(LogFields.TIME);
        if ((at == null) == (time == null)) {
            throw l.error(path + ": give either at (+DURATION from the example's start, e.g. +30s) or time (RFC 3339)");
        }
        Instant first = null;
        if (at != null) {
            String text = at.asText() == null ? "" : at.asText().strip();
            Duration d = Durations.parse(text.startsWith("+") ? text.substring(1) : text);
            if (d == null) {
                throw at.error(path + ".at: expected +DURATION from the example's start, such as +0s, +30s or +5m, got '" + text + "'");
            }
            first = start.plus(d);
        }
        int repeat = 1;
        YamlNode rep = l.get("repeat");
        if (rep != null) {
            if (!(rep.scalar() instanceof Long n) || n < 1 || n > MAX_REPEAT) {
                throw rep.error(path + ".repeat: expected a whole number from 1 to " + MAX_REPEAT + ", got '" + rep.asText() + "'");
            }
            repeat = (int) (long) n;
        }
        Duration every = Duration.ZERO;
        YamlNode ev = l.get("every");
        if (ev != null) {
            every = Durations.parse(ev.asText());
            if (every == null) {
                throw ev.error(Durations.invalid(path + ".every", ev.asText()));
            }
        } else if (repeat > 1) {
            throw l.error(path + ": repeat needs every (the time between copies, e.g. every: 30s)");
        }
        if (first == null && every.compareTo(Duration.ZERO) > 0) {
            Instant t = instantOrNull(time);
            if (t == null) {
                throw time.error(path + ".time: with every, time must be RFC 3339 (e.g. 2026-03-01T10:00:00Z), got '" + time.asText() + "'");
            }
            first = t;
        }
        for (int n = 1; n <= repeat; n++) {
            LogRecord.Builder b = LogRecord.builder();
            b.put(LogFields.UUID, "example-" + uuidPrefix + "-" + n);
            b.put(LogFields.APP, DEFAULT_APP);
            for (Map.Entry<String, YamlNode> e : l.asMap().entrySet()) {
                if (!LOG_KEYS.contains(e.getKey())) {
                    Object v = e.getValue().scalar();
                    b.put(e.getKey(), v instanceof String s ? s.replace("{n}", Integer.toString(n)) : v);
                }
            }
            if (first != null) {
                b.put(LogFields.TIME, first.plus(every.multipliedBy(n - 1L)).toString());
            }
            out.add(b.build());
        }
    }

    private static List<String> ids(YamlNode n, String path) {
        if (n == null) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (YamlNode id : n.asListOrSingle()) {
            if (!id.isScalar() || id.asText() == null || id.asText().isBlank()) {
                throw id.error(path + ": expected a list of rule ids");
            }
            ids.add(id.asText());
        }
        return List.copyOf(ids);
    }

    private static Instant instant(YamlNode n, String path, Instant otherwise) {
        if (n == null) {
            return otherwise;
        }
        Instant t = instantOrNull(n);
        if (t == null) {
            throw n.error(path + ": expected an RFC 3339 time such as 2026-03-01T10:00:00Z, got '" + n.asText() + "'");
        }
        return t;
    }

    private static Instant instantOrNull(YamlNode n) {
        if (!n.isScalar() || n.asText() == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(n.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void allowOnly(YamlNode map, String path, Set<String> keys, String expected) {
        for (Map.Entry<String, YamlNode> e : map.asMap().entrySet()) {
            if (!keys.contains(e.getKey())) {
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                throw e.getValue().error(at + ": unknown key (expected " + expected + ")");
            }
        }
    }
}
