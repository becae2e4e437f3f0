package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import io.fendersec.detect.sigma.SigmaString;
import io.fendersec.detect.sigma.YamlNode;

/**
 * {@code replace_string}: replaces what {@code regex} matches in string values by
 * {@code replacement} (Python's {@code \1} group references work). As in pySigma it sees a value
 * after {@code contains}, {@code startswith} and {@code endswith} put their wildcards around it, in
 * its plain form ({@code *} for a wildcard, {@code \*} for a literal star); with
 * {@code skip_special: true} it rewrites only the plain parts between wildcards, and
 * {@code interpret_special} lets {@code * ?} in the replacement be wildcards there. Numbers are
 * replaced in their text. Values that are not strings to pySigma are left alone: values under
 * {@code re}, {@code cidr},
 * {@code fieldref}, {@code exists}, comparisons, encodings ({@code base64}, {@code utf16}, ...) and
 * {@code windash}.
 */
final class ReplaceString implements Transformation {
    /** Modifiers under which a value stays a plain Sigma string. */
    private static final Set<String> STRING_MODIFIERS = Set.of("contains", "startswith", "endswith", "all", "cased",
            "expand");
    private final Pattern regex;
    private final String replacement;
    private final boolean skipSpecial;
    private final boolean interpretSpecial;

    private ReplaceString(Pattern regex, String replacement, boolean skipSpecial, boolean interpretSpecial) {
        this.regex = regex;
        this.replacement = replacement;
        this.skipSpecial = skipSpecial;
        this.interpretSpecial = interpretSpecial;
    }

    static ReplaceString read(Args a) {
        String re = a.text("regex", true);
        Pattern p;
        try {
            p = Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw a.error("regex", "not a regular expression: " + e.getDescription());
        }
        String rep = a.text("replacement", true);
        return new ReplaceString(p, pythonReplacement(rep), a.bool("skip_special", false),
                a.bool("interpret_special", false));
    }

    /** Python's {@code \1} group references as RE2/J's {@code $1}; a literal {@code $} escaped. */
    static String pythonReplacement(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (c == '\\' && Character.isDigit(next)) {
                b.append('$').append(next);
                i++;
            } else if (c == '\\' && next == '\\') {
                b.append("\\\\");
                i++;
            } else if (c == '$') {
                b.append("\\$");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        item.editItems(rule, run, i -> {
            if (i.modifiers.stream().anyMatch(m -> !STRING_MODIFIERS.contains(m.toLowerCase(java.util.Locale.ROOT)))
                    || i.values.stream().anyMatch(v -> !v.isScalar() || v.isNull() || v.scalar() instanceof Boolean)) {
                return i;
            }
            boolean placeholders = i.hasModifier("expand");
            List<YamlNode> out = new ArrayList<>();
            for (YamlNode v : i.values) {
                // a number is replaced in its text, as pySigma does (it becomes a string)
                String written = Wildcards.fold(v.asText(), i.modifiers, placeholders);
                String next = skipSpecial ? plainParts(written, placeholders) : whole(written, placeholders);
                out.add(YamlNode.at(v, next));
            }
            i.modifiers.removeIf(m -> Wildcards.POSITIONAL.contains(m.toLowerCase(java.util.Locale.ROOT)));
            i.values = out;
            i.changed = true;
            return i;
        });
    }

    /**
     * pySigma's default: the regex runs over the value's plain form (wildcards as {@code * ?},
     * literal ones as {@code \* \?}, a literal backslash as one backslash), and the result is read
     * as a Sigma value again, a backslash before anything but {@code * ?} taken literally.
     */
    private String whole(String written, boolean placeholders) {
        StringBuilder plain = new StringBuilder();
        for (SigmaString.Part p : SigmaString.parse(written, placeholders).parts()) {
            if (p instanceof SigmaString.Text t) {
                plain.append(t.text().replace("*", "\\*").replace("?", "\\?"));
            } else if (p instanceof SigmaString.AnyRun) {
                plain.append('*');
            } else if (p instanceof SigmaString.OneChar) {
                plain.append('?');
            } else if (p instanceof SigmaString.Placeholder ph) {
                plain.append('%').append(ph.name()).append('%');
            }
        }
        String replaced = regex.matcher(plain.toString()).replaceAll(replacement);
        return replaced.replaceAll("\\\\(?![*?])", "\\\\\\\\");
    }

    private String plainParts(String written, boolean placeholders) {
        List<SigmaString.Part> parts = new ArrayList<>();
        for (SigmaString.Part p : SigmaString.parse(written, placeholders).parts()) {
            if (p instanceof SigmaString.Text t) {
                Matcher m = regex.matcher(t.text());
                String replaced = m.replaceAll(replacement);
                if (interpretSpecial) {
                    parts.addAll(SigmaString.parse(replaced, false).parts());
                } else {
                    parts.add(new SigmaString.Text(replaced));
                }
            } else {
                parts.add(p);
            }
        }
        return SigmaText.write(parts, placeholders);
    }
}
