package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.fendersec.detect.sigma.SigmaString;
import io.fendersec.detect.sigma.YamlNode;

/**
 * {@code value_placeholders} (a placeholder {@code %name%} in a value with the {@code expand}
 * modifier becomes each value of the pipelines' variable {@code name}; a variable the pipelines do
 * not define is an error) and {@code wildcard_placeholders} (it becomes {@code *}).
 * {@code include} or {@code exclude} (not both) limit which placeholders are handled; the others
 * stay for a later item or for {@code rules.placeholders}. A variable's values are Sigma text:
 * {@code *} in them is a wildcard, as in pySigma.
 */
final class Placeholders implements Transformation {
    private static final int MAX_VALUES = 4096;
    private final boolean wildcard;
    private final List<String> include;
    private final List<String> exclude;

    private Placeholders(boolean wildcard, List<String> include, List<String> exclude) {
        this.wildcard = wildcard;
        this.include = include;
        this.exclude = exclude;
    }

    static Placeholders values(Args a) {
        return read(a, false);
    }

    static Placeholders wildcards(Args a) {
        return read(a, true);
    }

    private static Placeholders read(Args a, boolean wildcard) {
        List<String> include = a.texts("include", false);
        List<String> exclude = a.texts("exclude", false);
        if (include != null && exclude != null) {
            throw a.error("exclude", "include and exclude do not go together");
        }
        return new Placeholders(wildcard, include, exclude);
    }

    private boolean handles(String name) {
        return include != null ? include.contains(name) : exclude == null || !exclude.contains(name);
    }

    @Override
    public void apply(WorkingRule rule, ProcessingItem item, PipelineRun run) {
        item.editItems(rule, run, i -> {
            if (!i.hasModifier("expand") || i.values.stream().anyMatch(v -> !(v.scalar() instanceof String))) {
                return i;
            }
            List<YamlNode> out = new ArrayList<>();
            boolean left = false;
            boolean changed = false;
            for (YamlNode v : i.values) {
                List<List<SigmaString.Part>> variants = new ArrayList<>();
                variants.add(new ArrayList<>());
                for (SigmaString.Part p : SigmaString.parse(v.asText(), true).parts()) {
                    if (p instanceof SigmaString.Placeholder ph && handles(ph.name())) {
                        changed = true;
                        List<List<SigmaString.Part>> next = new ArrayList<>();
                        for (List<SigmaString.Part> base : variants) {
                            for (List<SigmaString.Part> r : replacements(ph.name(), rule, item, run)) {
                                List<SigmaString.Part> x = new ArrayList<>(base);
                                x.addAll(r);
                                next.add(x);
                            }
                        }
                        if (next.size() > MAX_VALUES) {
                            throw item.fail(rule, "placeholders make more than " + MAX_VALUES + " values");
                        }
                        variants = next;
                    } else {
                        left |= p instanceof SigmaString.Placeholder;
                        variants.forEach(x -> x.add(p));
                    }
                }
                variants.forEach(x -> out.add(YamlNode.at(v, SigmaText.write(x, true))));
            }
            if (!changed) {
                return i;
            }
            i.values = out;
            if (!left) {
                // nothing left to expand: the values are plain Sigma text again ('%' no longer special)
                List<YamlNode> plain = new ArrayList<>();
                for (YamlNode v : out) {
                    plain.add(YamlNode.at(v, SigmaText.write(SigmaString.parse(v.asText(), true).parts(), false)));
                }
                i.values = plain;
                i.modifiers.removeIf(m -> m.equalsIgnoreCase("expand"));
            }
            i.changed = true;
            return i;
        });
    }

    private List<List<SigmaString.Part>> replacements(String name, WorkingRule rule, ProcessingItem item, PipelineRun run) {
        if (wildcard) {
            return List.of(SigmaString.parse("*", false).parts());
        }
        List<String> vs = run.vars().get(name);
        if (vs == null) {
            throw item.fail(rule, "placeholder '%" + name + "%' has no variable in the pipelines' vars");
        }
        List<List<SigmaString.Part>> out = new ArrayList<>();
        for (String s : vs) {
            out.add(SigmaString.parse(s, false).parts());
        }
        return out;
    }
}
