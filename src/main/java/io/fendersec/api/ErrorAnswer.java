package io.fendersec.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.error.TerminalText;

/**
 * An OAuth-style error body {@code {"error":..,"error_description":..}} (RFC 6749 §5.2), as far as
 * it could be read; both parts may be empty when the server sent something else.
 */
final class ErrorAnswer {
    private static final Pattern ADDRESS = Pattern.compile(
            "address\\s+\\[?([0-9]{1,3}(?:\\.[0-9]{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)");
    private static final Pattern ANY_IPV4 = Pattern.compile("\\b([0-9]{1,3}(?:\\.[0-9]{1,3}){3})\\b");
    private static final int MAX_DESCRIPTION = 300;

    final int status;
    final String error;
    final String description;

    ErrorAnswer(int status, String error, String description) {
        this.status = status;
        this.error = error == null ? "" : clean(error);
        this.description = clean(description);
    }

    boolean is(String code) {
        return error.equals(code);
    }

    /** The address the server saw, from the description ("address 203.0.113.9 is not on ..."), or null. */
    String seenAddress() {
        Matcher m = ADDRESS.matcher(description);
        if (m.find()) {
            return m.group(1);
        }
        m = ANY_IPV4.matcher(description);
        return m.find() ? m.group(1) : null;
    }

    /** "error: description" for messages, or the status alone. */
    String summary() {
        if (error.isEmpty() && description.isEmpty()) {
            return "HTTP " + status;
        }
        return "HTTP " + status + " " + error + (description.isEmpty() ? "" : ": " + description);
    }

    /**
     * One line, bounded, control characters escaped: error and description are the server's text
     * and end up in a user's terminal.
     */
    private static String clean(String s) {
        if (s == null) {
            return "";
        }
        String one = TerminalText.line(s.replaceAll("[\\r\\n\\t]+", " ").trim());
        return one.length() > MAX_DESCRIPTION ? one.substring(0, MAX_DESCRIPTION) + "..." : one;
    }

    @Override
    public String toString() {
        return summary();
    }
}
