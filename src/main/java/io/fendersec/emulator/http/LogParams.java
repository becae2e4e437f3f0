package io.fendersec.emulator.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jetty.util.Fields;

import io.fendersec.emulator.store.Cursor;
import io.fendersec.emulator.store.StoreQuery;

/**
 * The query parameters of the log endpoints, validated, and written back in one fixed order so
 * that the same position always yields the same URL, byte for byte.
 */
final class LogParams {
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 10_000;

    final StoreQuery query;
    final int pageSize;
    final Cursor cursor;
    private final String canonicalQueryString;

    private LogParams(StoreQuery query, int pageSize, Cursor cursor, String canonical) {
        this.query = query;
        this.pageSize = pageSize;
        this.cursor = cursor;
        this.canonicalQueryString = canonical;
    }

    static LogParams parse(Fields f, boolean paged) {
        Instant start = time(f, "date_range_start", true);
        Instant end = time(f, "date_range_end", false);
        if (end != null && !end.isAfter(start)) {
            throw new BadParameter("date_range_end", "date_range_end must be after date_range_start");
        }
        int pageSize = DEFAULT_PAGE_SIZE;
        String ps = single(f, "page_size");
        if (paged && ps != null) {
            try {
                pageSize = Integer.parseInt(ps);
            } catch (NumberFormatException e) {
                throw new BadParameter("page_size", "page_size must be an integer between 1 and " + MAX_PAGE_SIZE);
            }
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new BadParameter("page_size", "page_size must be between 1 and " + MAX_PAGE_SIZE);
            }
        }
        String text = single(f, "text");
        String udid = single(f, "device_udid");
        Set<Integer> levels = levels(single(f, "level"));
        Set<String> tags = list(single(f, "tags"));
        String appVersion = single(f, "app_version");
        Cursor cursor = null;
        String c = single(f, "cursor");
        if (paged && c != null) {
            try {
                cursor = Cursor.decode(c);
            } catch (IllegalArgumentException e) {
                throw new BadParameter("cursor", e.getMessage());
            }
        }
        StoreQuery query = new StoreQuery(start, end, text, udid, levels, tags, appVersion);

        StringBuilder q = new StringBuilder();
        append(q, "date_range_start", start.toString());
        append(q, "date_range_end", end == null ? null : end.toString());
        if (paged) {
            append(q, "page_size", Integer.toString(pageSize));
        }
        append(q, "text", emptyToNull(text));
        append(q, "device_udid", emptyToNull(udid));
        append(q, "level", levels == null ? null : join(new TreeSet<>(levels)));
        append(q, "tags", tags == null ? null : String.join(",", new TreeSet<>(tags)));
        append(q, "app_version", emptyToNull(appVersion));
        return new LogParams(query, pageSize, cursor, q.toString());
    }

    /** The canonical query string plus {@code cursor}, for next/previous/last links. */
    String withCursor(Cursor c) {
        StringBuilder q = new StringBuilder(canonicalQueryString);
        append(q, "cursor", c.encode());
        return q.toString();
    }

    private static Instant time(Fields f, String name, boolean required) {
        String v = single(f, name);
        if (v == null || v.isEmpty()) {
            if (required) {
                throw new BadParameter(name, name + " is required (RFC 3339, e.g. 2026-11-27T00:00:00Z)");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // An unencoded '+' in an offset arrives as a space; read it as the '+' it was.
            try {
                return OffsetDateTime.parse(v.replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadParameter(name, name + " is not an RFC 3339 date-time: " + v);
            }
        }
    }

    private static String single(Fields f, String name) {
        Fields.Field field = f.get(name);
        if (field == null) {
            return null;
        }
        List<String> values = field.getValues();
        if (values.size() > 1) {
            throw new BadParameter(name, name + " is given more than once");
        }
        return values.get(0);
    }

    private static Set<Integer> levels(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        Set<Integer> out = new LinkedHashSet<>();
        for (String s : v.split(",", -1)) {
            try {
                int l = Integer.parseInt(s.trim());
                if (l < 0 || l > 5) {
                    throw new NumberFormatException();
                }
                out.add(l);
            } catch (NumberFormatException e) {
                throw new BadParameter("level", "level must be a comma-separated list of 0..5 (0 Debug, 1 Warning, 2 Error, 3 Trace, 4 Info, 5 Fatal)");
            }
        }
        return out;
    }

    private static Set<String> list(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : v.split(",")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static String join(Set<Integer> levels) {
        List<String> s = new ArrayList<>();
        levels.forEach(l -> s.add(Integer.toString(l)));
        return String.join(",", s);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value == null) {
            return;
        }
        if (q.length() > 0) {
            q.append('&');
        }
        q.append(name).append('=').append(encode(value));
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters: one spelling per value. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
