package io.fendersec.detect.explain;

import java.util.List;
import java.util.Map;

import io.fendersec.detect.rule.CorrelationRule;

/**
 * What a correlation rule saw over a set of logs: per group, each span {@code [end - timespan, end]}
 * ending at one of the group's matches, what it measured and whether it fired.
 *
 * @param groups  the groups in which the referenced rules matched, in order of first match
 * @param fired   whether the job, run over the same logs, raises an alert of this rule
 * @param detail  null when every span is shown; else why only the verdict is (e.g. a correlation
 *                over other correlations, whose matches are themselves windows)
 */
public record CorrelationExplanation(CorrelationRule rule, List<Group> groups, boolean fired, String detail) {
    public CorrelationExplanation {
        groups = List.copyOf(groups);
    }

    /** One group: app and group-by values, its spans in event-time order. */
    public record Group(String app, Map<String, String> values, List<Span> spans) {
        public Group {
            spans = List.copyOf(spans);
        }

        public boolean fired() {
            return spans.stream().anyMatch(Span::fired);
        }

        /** The largest measure of a span, or -1 when none was measured. */
        public long maxMeasured() {
            return spans.stream().mapToLong(s -> s.measured() == null ? -1 : s.measured()).max().orElse(-1);
        }
    }

    /**
     * The span ending at one match.
     *
     * @param measured what the correlation counts in it (events, distinct values, rules), or null
     *                 when the type measures pairs ({@code impossible_travel}) and it did not fire
     * @param source   the rule whose match ends the span; {@code uuid} that log's uuid
     * @param value    the counted value of that match ({@code value_count}), else null
     */
    public record Span(long start, long end, Long measured, boolean fired, String source, String uuid, String value) {}
}
