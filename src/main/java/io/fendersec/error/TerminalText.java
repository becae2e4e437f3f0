package io.fendersec.error;

/**
 * Makes text that came from a server or a device safe to print on a terminal. Such text is the
 * attacker's: a newline forges a line of output, an ANSI escape (ESC, or the one-byte C1 CSI)
 * rewrites the screen or the window title, a bidi control (U+202E ...) makes a name read
 * backwards. Every such character is shown as a visible escape ({@code \n}, {@code \u001b}),
 * so nothing is lost and nothing is interpreted.
 *
 * <p>Used wherever server or device text is printed: error messages, {@code check}, the run and
 * demo summaries, {@code rules test}, the console alert sink.
 */
public final class TerminalText {
    private TerminalText() {}

    /** One line: every control character (newlines included) and bidi control escaped. */
    public static String line(String s) {
        return neutralize(s, false);
    }

    /**
     * Text that may span lines (a message listing several errors): {@code \n} is kept, every
     * other control character, {@code \r} included, is escaped.
     */
    public static String lines(String s) {
        return neutralize(s, true);
    }

    /**
     * A JSON document for a terminal: the characters {@link #line} escapes are written as JSON
     * {@code \}{@code uXXXX} escapes, which keeps the JSON equal in meaning. Jackson escapes only
     * C0 controls; DEL, C1 controls and bidi controls would reach the terminal as they are.
     */
    public static String json(String json) {
        if (json == null || isClean(json, false)) {
            return json;
        }
        StringBuilder b = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (unsafe(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** True for C0 and C1 control characters, DEL, line/paragraph separators and bidi controls. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u061c'                     // Arabic letter mark
                || c == '\u200e' || c == '\u200f'    // LRM, RLM
                || (c >= '\u2028' && c <= '\u202e')  // line/paragraph separators, LRE..RLO
                || (c >= '\u2066' && c <= '\u2069'); // LRI..PDI
    }

    private static boolean isClean(String s, boolean keepNewlines) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c) && !(keepNewlines && c == '\n')) {
                return false;
            }
        }
        return true;
    }

    private static String neutralize(String s, boolean keepNewlines) {
        if (s == null || isClean(s, keepNewlines)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c) || (keepNewlines && c == '\n')) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
