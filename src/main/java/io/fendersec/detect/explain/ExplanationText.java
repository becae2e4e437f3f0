package io.fendersec.detect.explain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.error.TerminalText;

/**
 * Explanations as terminal lines. Everything from a log and from a rule file (values, names,
 * field names) goes through {@link TerminalText}: a log's text is written by whoever owns the
 * device and must not forge lines or move the cursor.
 */
public final class ExplanationText {
    /** Per group, at most this many spans are listed: those that fired, then the highest measures. */
    static final int MAX_SPANS = 12;

    private ExplanationText() {}

    public static List<String> detection(DetectionExplanation e) {
        List<String> out = new ArrayList<>();
        out.add("rule " + q(e.ruleId()) + " (detection): " + q(e.title()));
        out.add("condition: " + q(e.condition()));
        step(e.tree(), 1, out);
        out.add("condition " + (e.conditionHeld() ? "held" : "failed"));
        if (e.firstFailure() != null) {
            String in = selectionOf(e.tree(), e.firstFailure(), null);
            out.add("first failing test: " + (in == null || e.firstFailure() instanceof Step.Not ? "" : q(in) + " > ")
                    + describe(e.firstFailure()));
        }
        if (!e.suppressions().isEmpty()) {
            out.add("filters and exceptions:");
            for (DetectionExplanation.SuppressionOutcome s : e.suppressions()) {
                String what = switch (s.outcome()) {
                    case DROPS -> e.conditionHeld() ? "drops this match" : "covers this log";
                    case PASSES -> "does not cover this log";
                    case EXPIRED -> "expired: no longer applies";
                };
                out.add("  " + q(s.label()) + ": " + what);
            }
        }
        out.add("result: " + (e.matched() ? "MATCH" : e.conditionHeld() ? "NO MATCH (dropped by a filter or exception)"
                : "NO MATCH"));
        return out;
    }

    private static void step(Step s, int depth, List<String> out) {
        String pad = "  ".repeat(depth);
        String mark = s.held() ? "[held]   " : "[failed] ";
        if (s instanceof Step.Selection sel) {
            if (sel.body() instanceof Step.FieldCheck f) { // a selection of one field: one line
                out.add(pad + mark + q(sel.name()) + ": " + check(f));
                return;
            }
            out.add(pad + mark + q(sel.name()));
            children(sel.body(), depth + 1, out);
        } else if (s instanceof Step.Not n) {
            out.add(pad + mark + "not");
            step(n.inner(), depth + 1, out);
        } else if (s instanceof Step.AllOf a) {
            out.add(pad + mark + "all of");
            a.parts().forEach(p -> step(p, depth + 1, out));
        } else if (s instanceof Step.AnyOf o) {
            out.add(pad + mark + "one of");
            o.parts().forEach(p -> step(p, depth + 1, out));
        } else {
            out.add(pad + mark + check((Step.FieldCheck) s));
        }
    }

    /** A selection's body: its fields (an AND) listed directly under it; anything else as a step. */
    private static void children(Step body, int depth, List<String> out) {
        if (body instanceof Step.AllOf a) {
            a.parts().forEach(p -> step(p, depth, out));
        } else {
            step(body, depth, out);
        }
    }

    private static String check(Step.FieldCheck f) {
        StringBuilder b = new StringBuilder();
        b.append(f.isKeywords() ? "keywords" : q(f.written())).append(": ");
        b.append(f.values().stream().map(v -> "'" + q(v.written()) + "'"
                + (v.held() == null ? "" : v.held() ? " (held)" : " (failed)")).collect(Collectors.joining(", ")));
        if (f.isKeywords()) {
            b.append("   in any value of the log");
        } else {
            b.append("   ").append(q(f.field())).append(" = ").append(value(f.seen()));
            if (f.other() != null) {
                b.append(", ").append(q(f.other())).append(" = ").append(value(f.otherSeen()));
            }
        }
        b.append("   (").append(q(f.where())).append(')');
        return b.toString();
    }

    /** The name of the innermost selection holding {@code target} (by identity), or null. */
    private static String selectionOf(Step s, Step target, String within) {
        if (s == target) {
            return within;
        }
        List<Step> children = s instanceof Step.Selection sel ? List.of(sel.body())
                : s instanceof Step.AllOf a ? a.parts() : s instanceof Step.AnyOf o ? o.parts()
                : s instanceof Step.Not n ? List.of(n.inner()) : List.of();
        String name = s instanceof Step.Selection sel ? sel.name() : within;
        for (Step c : children) {
            String found = selectionOf(c, target, name);
            if (found != null || c == target) {
                return found;
            }
        }
        return null;
    }

    private static String describe(Step s) {
        if (s instanceof Step.Not n) {
            return "not " + (n.inner() instanceof Step.Selection sel ? q(sel.name()) : "(...)")
                    + ": it held, so its negation failed";
        }
        if (s instanceof Step.FieldCheck f) {
            return check(f);
        }
        return s.toString();
    }

    private static String value(String v) {
        return v == null ? "(absent)" : "\"" + TerminalText.line(v) + "\"";
    }

    public static List<String> correlation(CorrelationExplanation e, int maxGroups) {
        CorrelationRule r = e.rule();
        List<String> out = new ArrayList<>();
        out.add("rule " + q(r.id()) + " (" + r.kind() + " over " + q(String.join(", ", r.rules())) + ", by "
                + q(String.join(", ", r.groupBy())) + ", timespan " + io.fendersec.model.Durations.format(r.timespan())
                + ", condition " + r.condition() + "): " + q(r.info().title()));
        if (e.detail() != null) {
            out.add("windows not shown: " + q(e.detail()));
        } else {
            int matches = e.groups().stream().mapToInt(g -> g.spans().size()).sum();
            out.add(matches + " counted match(es) in " + e.groups().size() + " group(s); a span is [end - timespan, end]"
                    + " for each match, both ends included");
            List<CorrelationExplanation.Group> shown = new ArrayList<>(e.groups());
            shown.sort(Comparator.comparing((CorrelationExplanation.Group g) -> !g.fired())
                    .thenComparing(Comparator.comparingLong(CorrelationExplanation.Group::maxMeasured).reversed()));
            for (CorrelationExplanation.Group g : shown.subList(0, Math.min(maxGroups, shown.size()))) {
                group(r, g, out);
            }
            if (shown.size() > maxGroups) {
                out.add("... " + (shown.size() - maxGroups) + " more group(s) not shown (--max-groups)");
            }
        }
        out.add("result: " + (e.fired() ? "FIRED (the job alerts)" : "NOT FIRED"));
        return out;
    }

    private static void group(CorrelationRule r, CorrelationExplanation.Group g, List<String> out) {
        out.add("group app=" + q(String.valueOf(g.app())) + " " + g.values().entrySet().stream()
                .map(x -> q(x.getKey()) + "=" + value(x.getValue())).collect(Collectors.joining(" ")) + ": "
                + g.spans().size() + " match(es), " + (g.fired() ? "FIRED" : "did not fire"));
        List<CorrelationExplanation.Span> spans = g.spans();
        List<CorrelationExplanation.Span> listed = shownSpans(spans);
        for (CorrelationExplanation.Span s : listed) {
            out.add("  span " + Instant.ofEpochMilli(s.start()) + " .. " + Instant.ofEpochMilli(s.end()) + "  "
                    + measure(r, s) + "  " + (s.fired() ? "FIRED" : "no") + "   (ends at " + q(s.source())
                    + (s.uuid() == null ? "" : " log " + q(s.uuid())) + (s.value() == null ? "" : ", value " + value(s.value()))
                    + ")");
        }
        if (listed.size() < spans.size()) {
            List<CorrelationExplanation.Span> rest = spans.stream().filter(s -> !listed.contains(s)).toList();
            long fired = rest.stream().filter(CorrelationExplanation.Span::fired).count();
            long most = rest.stream().mapToLong(s -> s.measured() == null ? -1 : s.measured()).max().orElse(-1);
            out.add("  ... " + rest.size() + " more span(s) not shown: " + fired + " of them fired"
                    + (most < 0 ? "" : ", highest measure " + most));
        }
    }

    /**
     * At most {@link #MAX_SPANS} spans: when the group fired, the build-up to its first firing span
     * and its last span; else the spans that measured most, in time order.
     */
    static List<CorrelationExplanation.Span> shownSpans(List<CorrelationExplanation.Span> spans) {
        if (spans.size() <= MAX_SPANS) {
            return spans;
        }
        int first = -1;
        for (int i = 0; i < spans.size() && first < 0; i++) {
            if (spans.get(i).fired()) {
                first = i;
            }
        }
        if (first >= 0) {
            List<CorrelationExplanation.Span> out = new ArrayList<>(spans.subList(Math.max(0, first - (MAX_SPANS - 2)),
                    first + 1));
            if (first < spans.size() - 1) {
                out.add(spans.get(spans.size() - 1));
            }
            return out;
        }
        List<CorrelationExplanation.Span> top = spans.stream()
                .sorted(Comparator.comparingLong((CorrelationExplanation.Span s) -> s.measured() == null ? -1 : s.measured())
                        .reversed())
                .limit(MAX_SPANS).toList();
        return spans.stream().filter(top::contains).toList();
    }

    private static String measure(CorrelationRule r, CorrelationExplanation.Span s) {
        String what = switch (r.type()) {
            case VALUE_COUNT -> "distinct " + q(r.field());
            case TEMPORAL -> "rules";
            case TEMPORAL_ORDERED -> "rules in order";
            case IMPOSSIBLE_TRAVEL -> "km/h";
            default -> "events";
        };
        if (s.measured() == null) {
            return what + " -";
        }
        return what + " " + s.measured() + (r.type().name().equals("RATE_SPIKE") ? " (and the baseline)" : "")
                + " vs " + r.condition();
    }

    private static String q(String s) {
        return TerminalText.line(s);
    }
}
