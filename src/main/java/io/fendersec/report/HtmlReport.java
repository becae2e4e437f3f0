package io.fendersec.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the report as one self-contained HTML page: the template in resources (styles and
 * script inline, nothing fetched) with the {@link AlertReport} embedded as JSON that the page's
 * script draws.
 *
 * <p>Every string in the data comes from logs and may be hostile. The JSON sits in a
 * {@code <script type="application/json">} block with {@code <}, {@code >} and {@code &} escaped
 * as JSON unicode escapes, so no value can close the block ({@code </script>}) or open a comment;
 * the script reads it with {@code JSON.parse} and writes it with {@code textContent} only. The
 * title is also HTML-escaped into {@code <title>}.
 */
public final class HtmlReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TEMPLATE = "report.html";
    private static final Pattern SLOT = Pattern.compile("\\{\\{(TITLE|DATA|DETAILS)\\}\\}");

    private HtmlReport() {}

    public static String render(AlertReport report) {
        return render(report, AlertDetails.none());
    }

    /** The page with {@code details}: what opens when an alert is clicked (evidence, timeline, links). */
    public static String render(AlertReport report, AlertDetails details) {
        String json;
        String detailsJson;
        try {
            json = MAPPER.writeValueAsString(report);
            detailsJson = MAPPER.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = Map.of("TITLE", escapeHtml(report.title()), "DATA", escapeJsonForScript(json),
                "DETAILS", escapeJsonForScript(detailsJson));
        // One pass over the template: a value that itself contains "{{DATA}}" is never expanded again.
        Matcher m = SLOT.matcher(template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * JSON safe inside a script element. Outside strings JSON has none of these characters, so
     * replacing them everywhere only rewrites string contents into equivalent escapes. U+2028/9
     * are escaped too, so the data stays valid should it ever be pasted into script source.
     */
    static String escapeJsonForScript(String json) {
        StringBuilder b = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("report template " + TEMPLATE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
