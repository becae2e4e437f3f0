package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import com.google.re2j.Matcher;

/**
 * Replaces the secrets in a log's text with {@code [redacted KIND]} before the text leaves
 * detection as evidence. The secrets are what the {@code secret.kind} extractors find (the
 * secret-in-log rule's own definition of a secret, so a leak that alerts is a leak that is
 * redacted): the default ones always, plus the job's own {@code secret.kind} extractors over
 * {@code text}. A card number is redacted only when it passes the Luhn check, as it alerts; a PEM
 * private key from its header to its footer, or to the end of the text when the footer is cut off.
 *
 * <p>Runs only for logs that become evidence of a sink asking for {@code evidence: logs}.
 */
public final class SecretRedactor implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String SECRET_KIND = "secret.kind";
    private static final String PEM_END = "-----END ";

    private final List<Extractor> secrets;

    private SecretRedactor(List<Extractor> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** The default secret extractors and the {@code secret.kind} extractors over text of {@code normalizer}. */
    public static SecretRedactor of(Normalizer normalizer) {
        List<Extractor> out = new ArrayList<>();
        for (Extractor e : Normalizer.defaults().extractors()) {
            if (isTextSecret(e)) {
                out.add(e);
            }
        }
        for (Extractor e : normalizer.extractors()) {
            if (isTextSecret(e) && !out.contains(e)) {
                out.add(e);
            }
        }
        return new SecretRedactor(out);
    }

    private static boolean isTextSecret(Extractor e) {
        return SECRET_KIND.equals(e.field()) && "text".equals(e.from());
    }

    /**
     * {@code text} with every secret replaced; null stays null. Every extractor runs over the
     * original text and the spans they find are merged: one extractor's replacement cannot hide
     * the secret beside it from the next (an AWS key id and its secret key on one line), and
     * overlapping finds become one {@code [redacted KIND]} (the kind of the first).
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        List<Span> spans = new ArrayList<>();
        for (Extractor e : secrets) {
            find(text, e, spans);
        }
        if (spans.isEmpty()) {
            return text;
        }
        spans.sort(java.util.Comparator.comparingInt(Span::start));
        StringBuilder b = new StringBuilder(text.length());
        int copied = 0;
        for (int i = 0; i < spans.size(); ) {
            Span first = spans.get(i);
            int end = first.end();
            int j = i + 1;
            while (j < spans.size() && spans.get(j).start() < end) {
                end = Math.max(end, spans.get(j).end());
                j++;
            }
            b.append(text, copied, first.start()).append("[redacted ").append(first.kind()).append(']');
            copied = end;
            i = j;
        }
        return b.append(text, copied, text.length()).toString();
    }

    /** Where a secret is: the characters [start, end) of the text, and its kind. */
    private record Span(int start, int end, String kind) {}

    private static void find(String text, Extractor e, List<Span> out) {
        Matcher m = e.regex().matcher(text);
        int from = 0;
        while (from <= text.length() && m.find(from)) {
            int g = e.group();
            int start = m.start(g);
            int end = m.end(g);
            if (start < 0 || end <= start) {
                from = m.end() > from ? m.end() : from + 1;
                continue;
            }
            if (e.check() != null && !e.check().test(text.substring(start, end))) {
                from = start + 1; // the next candidate may start inside this one
                continue;
            }
            if (text.startsWith("-----BEGIN ", start)) {
                end = pemEnd(text, end);
            }
            out.add(new Span(start, end, kind(e)));
            from = Math.max(end, m.end());
        }
    }

    /** Where a PEM block whose header ends at {@code from} ends: after its footer line, else at the text's end. */
    private static int pemEnd(String text, int from) {
        int footer = text.indexOf(PEM_END, from);
        if (footer < 0) {
            return text.length();
        }
        int close = text.indexOf("-----", footer + PEM_END.length());
        return close < 0 ? text.length() : close + 5;
    }

    private static String kind(Extractor e) {
        return e.constant() != null ? e.constant() : "secret";
    }
}
