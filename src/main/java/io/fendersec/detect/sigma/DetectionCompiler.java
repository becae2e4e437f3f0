package io.fendersec.detect.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles a parsed detection ({@link DetectionNode}, from {@link DetectionParser}) to an
 * {@link EventPredicate}. Everything that can fail was checked by the parser, at load time.
 */
public final class DetectionCompiler {
    private DetectionCompiler() {}

    /** Parses and compiles a whole {@code detection:} mapping (no placeholders). */
    public static EventPredicate compileDetection(YamlNode detection) {
        return compile(DetectionParser.plain().detection(detection));
    }

    /** Parses and compiles one selection, e.g. an extractor's {@code when}. */
    public static EventPredicate compileSearch(YamlNode search) {
        return compile(DetectionParser.plain().search(search));
    }

    public static EventPredicate compile(DetectionNode node) {
        if (node instanceof DetectionNode.And a) {
            return EventPredicate.and(compileAll(a.parts()));
        }
        if (node instanceof DetectionNode.Or o) {
            return EventPredicate.or(compileAll(o.parts()));
        }
        if (node instanceof DetectionNode.Not n) {
            return EventPredicate.not(compile(n.inner()));
        }
        return compile(((DetectionNode.Test) node).test());
    }

    private static List<EventPredicate> compileAll(List<DetectionNode> nodes) {
        List<EventPredicate> out = new ArrayList<>(nodes.size());
        for (DetectionNode n : nodes) {
            out.add(compile(n));
        }
        return out;
    }

    static EventPredicate compile(FieldTest t) {
        ValueMatcher[] ms = t.matchers().toArray(new ValueMatcher[0]);
        if (t.isKeywords()) {
            return keywords(ms, t.all());
        }
        String field = t.field();
        EventPredicate p;
        if (t.all()) {
            p = e -> {
                for (ValueMatcher m : ms) {
                    if (!m.test(e, field)) {
                        return false;
                    }
                }
                return true;
            };
        } else if (ms.length == 1) {
            ValueMatcher m = ms[0];
            p = e -> m.test(e, field);
        } else {
            p = e -> {
                for (ValueMatcher m : ms) {
                    if (m.test(e, field)) {
                        return true;
                    }
                }
                return false;
            };
        }
        // neq: the field differs from every listed value (an absent field differs too).
        return t.negated() ? EventPredicate.not(p) : p;
    }

    /**
     * Full-text search: some value of the log holds the keyword; with {@code all}, every keyword
     * is in some value. Plain keywords (a lower-case substring) are looked up in the event's joined
     * keyword text, built once per log however many rules ask; others run value by value, as a
     * match must not span two values.
     */
    private static EventPredicate keywords(ValueMatcher[] kws, boolean all) {
        if (all) {
            EventPredicate[] each = new EventPredicate[kws.length];
            for (int i = 0; i < kws.length; i++) {
                each[i] = keywords(new ValueMatcher[] {kws[i]}, false);
            }
            return EventPredicate.and(List.of(each));
        }
        List<String> plain = new ArrayList<>();
        List<ValueMatcher> perValue = new ArrayList<>();
        for (ValueMatcher m : kws) {
            if (isPlainKeyword(m)) {
                plain.add(((ValueMatcher.Text) m).expected());
            } else {
                perValue.add(m);
            }
        }
        String[] subs = plain.toArray(new String[0]);
        ValueMatcher[] ms = perValue.toArray(new ValueMatcher[0]);
        return e -> {
            if (subs.length > 0) {
                String text = e.keywordText();
                if (!text.isEmpty()) { // no values: no keyword is found, not even an empty one
                    for (String s : subs) {
                        if (text.contains(s)) {
                            return true;
                        }
                    }
                }
            }
            if (ms.length == 0) {
                return false;
            }
            // values and their lower-cased copies, made once per log for every keyword rule
            List<String> lowers = e.lowerValues();
            int i = 0;
            for (String v : e.values()) {
                String lower = lowers.get(i++);
                for (ValueMatcher m : ms) {
                    boolean hit;
                    if (m instanceof ValueMatcher.Regex r) {
                        hit = r.matches(v, lower.indexOf('\u017f') < 0 ? lower : LiteralPrefilter.fold(lower));
                    } else {
                        hit = m.matches(m.wantsLower() ? lower : v);
                    }
                    if (hit) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    /** A keyword found in the joined keyword text: a case-insensitive substring without the separator. */
    static boolean isPlainKeyword(ValueMatcher m) {
        return m instanceof ValueMatcher.Text t && t.op() == ValueMatcher.TextOp.CONTAINS && !t.cased()
                && t.expected().indexOf(Event.KEYWORD_SEPARATOR) < 0;
    }

    static String base64(String s) {
        return DetectionParser.base64(s);
    }
}
