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

    /** {@code text} with every secret replaced; null stays null. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Extractor e : secrets) {
            out = redact(out, e);
        }
        return out;
    }

    private static String redact(String text, Extractor e) {
        Matcher m = e.regex().matcher(text);
        StringBuilder b = null;
        int copied = 0;
        int from = 0;
        while (from <= text.length() && m.find(from)) {
            int g = e.group();
            int start = m.start(g);
            int end = m.end(g);
            if (start < 0 || end <= start) {
                from = m.end() > from ? m.end() : from + 1;
                continue;
            }
            if (Extractor.CHECK_LUHN.equals(e.check()) && !Luhn.valid(text.substring(start, end))) {
                from = start + 1; // the next candidate may start inside this one
                continue;
            }
            if (text.startsWith("-----BEGIN ", start)) {
                end = pemEnd(text, end);
            }
            if (b == null) {
                b = new StringBuilder(text.length());
            }
            b.append(text, copied, start).append("[redacted ").append(kind(e)).append(']');
            copied = end;
            from = end;
        }
        if (b == null) {
            return text;
        }
        return b.append(text, copied, text.length()).toString();
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
