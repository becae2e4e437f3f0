package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Sigma string value read once into its parts: literal text, the wildcards {@code *} and
 * {@code ?}, and (under {@code expand}) placeholders. Modifiers work on the parts, never on the
 * written text, so that {@code contains} around {@code \Temp\} cannot turn the trailing backslash
 * into an escape of the {@code *} it adds.
 *
 * <p>Escaping, as the specification says: a backslash escapes {@code *}, {@code ?} and itself;
 * any other backslash, a trailing one included, is a plain character ({@code \\\*} is a backslash
 * and a star, {@code \\\\} and {@code \\\} are two backslashes). Under {@code expand}, {@code \%}
 * is a plain percent sign and {@code %name%} a placeholder.
 */
public final class SigmaString implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One piece of a value. */
    public sealed interface Part extends Serializable permits Text, AnyRun, OneChar, Placeholder {}

    /** Plain characters. */
    public record Text(String text) implements Part {}

    /** {@code *}: any run of characters, the empty one included. */
    public record AnyRun() implements Part {}

    /** {@code ?}: exactly one character. */
    public record OneChar() implements Part {}

    /** {@code %name%} under {@code expand}. */
    public record Placeholder(String name) implements Part {}

    private static final AnyRun ANY = new AnyRun();
    private static final OneChar ONE = new OneChar();

    private final List<Part> parts;

    private SigmaString(List<Part> parts) {
        this.parts = List.copyOf(merge(parts));
    }

    /** Reads a written value; {@code placeholders} when the value has the {@code expand} modifier. */
    public static SigmaString parse(String written, boolean placeholders) {
        List<Part> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int n = written.length();
        for (int i = 0; i < n; i++) {
            char c = written.charAt(i);
            char next = i + 1 < n ? written.charAt(i + 1) : 0;
            if (c == '\\' && (next == '*' || next == '?' || next == '\\' || (placeholders && next == '%'))) {
                text.append(next);
                i++;
            } else if (c == '*' || c == '?') {
                flush(text, out);
                out.add(c == '*' ? ANY : ONE);
            } else if (c == '%' && placeholders) {
                int end = written.indexOf('%', i + 1);
                String name = end < 0 ? null : written.substring(i + 1, end);
                if (name == null || !isPlaceholderName(name)) {
                    text.append(c);
                } else {
                    flush(text, out);
                    out.add(new Placeholder(name));
                    i = end;
                }
            } else {
                text.append(c);
            }
        }
        flush(text, out);
        return new SigmaString(out);
    }

    /** A value of plain characters only (no wildcards), e.g. an encoded one. */
    public static SigmaString plain(String text) {
        return new SigmaString(text.isEmpty() ? List.of() : List.of(new Text(text)));
    }

    private static boolean isPlaceholderName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static void flush(StringBuilder text, List<Part> out) {
        if (text.length() > 0) {
            out.add(new Text(text.toString()));
            text.setLength(0);
        }
    }

    /** Joins adjacent texts and collapses runs of {@code *}. */
    private static List<Part> merge(List<Part> in) {
        List<Part> out = new ArrayList<>(in.size());
        for (Part p : in) {
            Part last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (p instanceof Text t && t.text().isEmpty()) {
                continue;
            }
            if (p instanceof Text t && last instanceof Text l) {
                out.set(out.size() - 1, new Text(l.text() + t.text()));
            } else if (p instanceof AnyRun && last instanceof AnyRun) {
                continue;
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public List<Part> parts() {
        return parts;
    }

    public boolean hasWildcards() {
        return parts.stream().anyMatch(p -> p instanceof AnyRun || p instanceof OneChar);
    }

    public boolean hasPlaceholders() {
        return parts.stream().anyMatch(p -> p instanceof Placeholder);
    }

    /** The characters of a value without wildcards or placeholders. */
    public String plainText() {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (!(p instanceof Text t)) {
                throw new IllegalStateException("not a plain value: " + this);
            }
            b.append(t.text());
        }
        return b.toString();
    }

    /** {@code *} in front (startswith, contains). */
    public SigmaString anyBefore() {
        List<Part> out = new ArrayList<>(parts.size() + 1);
        out.add(ANY);
        out.addAll(parts);
        return new SigmaString(out);
    }

    /** {@code *} at the end (endswith, contains). */
    public SigmaString anyAfter() {
        List<Part> out = new ArrayList<>(parts);
        out.add(ANY);
        return new SigmaString(out);
    }

    /** The value without its first {@code head} and last {@code tail} parts. */
    public SigmaString strip(int head, int tail) {
        return new SigmaString(parts.subList(Math.min(head, parts.size()), Math.max(head, parts.size() - tail)));
    }

    /** Plain characters in front. */
    public SigmaString textBefore(String text) {
        List<Part> out = new ArrayList<>(parts.size() + 1);
        out.add(new Text(text));
        out.addAll(parts);
        return new SigmaString(out);
    }

    /** Applies {@code f} to every run of plain characters; wildcards stay. */
    public SigmaString mapText(UnaryOperator<String> f) {
        List<Part> out = new ArrayList<>(parts.size());
        for (Part p : parts) {
            out.add(p instanceof Text t ? new Text(f.apply(t.text())) : p);
        }
        return new SigmaString(out);
    }

    /** Every variant of the value where each text part is replaced by one of its variants (a product). */
    public List<SigmaString> variants(java.util.function.Function<String, List<String>> perText, int max) {
        List<List<Part>> acc = new ArrayList<>();
        acc.add(new ArrayList<>());
        for (Part p : parts) {
            List<String> vs = p instanceof Text t ? perText.apply(t.text()) : null;
            List<List<Part>> next = new ArrayList<>();
            for (List<Part> a : acc) {
                if (vs == null) {
                    a.add(p);
                    next.add(a);
                    continue;
                }
                for (String v : vs) {
                    List<Part> b = new ArrayList<>(a);
                    b.add(new Text(v));
                    next.add(b);
                }
            }
            if (next.size() > max) {
                throw new IllegalArgumentException("more than " + max + " variants");
            }
            acc = next;
        }
        return acc.stream().map(SigmaString::new).toList();
    }

    /**
     * Replaces each placeholder by each of its values (values are Sigma strings themselves, so a
     * placeholder may stand for {@code srv-*}): every combination, at most {@code max}.
     */
    public List<SigmaString> expand(Map<String, List<SigmaString>> values, int max) {
        List<List<Part>> acc = new ArrayList<>();
        acc.add(new ArrayList<>());
        for (Part p : parts) {
            List<List<Part>> next = new ArrayList<>();
            if (p instanceof Placeholder ph) {
                List<SigmaString> vs = values.get(ph.name());
                if (vs == null) {
                    throw new IllegalArgumentException("placeholder %" + ph.name() + "% is not defined");
                }
                for (List<Part> a : acc) {
                    for (SigmaString v : vs) {
                        List<Part> b = new ArrayList<>(a);
                        b.addAll(v.parts);
                        next.add(b);
                    }
                }
            } else {
                for (List<Part> a : acc) {
                    a.add(p);
                    next.add(a);
                }
            }
            if (next.size() > max) {
                throw new IllegalArgumentException("placeholders expand to more than " + max + " values");
            }
            acc = next;
        }
        return acc.stream().map(SigmaString::new).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmaString s && s.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    /** The value written back in Sigma syntax (escaped). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                for (char c : t.text().toCharArray()) {
                    if (c == '*' || c == '?' || c == '\\') {
                        b.append('\\');
                    }
                    b.append(c);
                }
            } else if (p instanceof AnyRun) {
                b.append('*');
            } else if (p instanceof OneChar) {
                b.append('?');
            } else {
                b.append('%').append(((Placeholder) p).name()).append('%');
            }
        }
        return b.toString();
    }
}
