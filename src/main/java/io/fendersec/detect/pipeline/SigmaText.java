package io.fendersec.detect.pipeline;

import java.util.List;

import io.fendersec.detect.sigma.SigmaString;

/** Writes a parsed Sigma value back as Sigma text: wildcards as {@code * ?}, literal ones escaped, placeholders as {@code %name%}. */
final class SigmaText {
    private SigmaText() {}

    static String write(List<SigmaString.Part> parts, boolean placeholders) {
        StringBuilder b = new StringBuilder();
        for (SigmaString.Part p : parts) {
            if (p instanceof SigmaString.Text t) {
                b.append(escape(t.text(), placeholders));
            } else if (p instanceof SigmaString.AnyRun) {
                b.append('*');
            } else if (p instanceof SigmaString.OneChar) {
                b.append('?');
            } else if (p instanceof SigmaString.Placeholder ph) {
                b.append('%').append(ph.name()).append('%');
            }
        }
        return b.toString();
    }

    /** Plain text as Sigma text: {@code * ? \} (and {@code %} with placeholders) escaped. */
    static String escape(String s, boolean placeholders) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '\\' || (placeholders && c == '%')) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
