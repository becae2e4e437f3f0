package io.fendersec.detect.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogRecord;

/**
 * A correlation explained over a file of logs, windows counted by hand. Each test names the
 * mutation it catches; each was seen failing.
 */
class CorrelationExplainerTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    static final String RULES = """
            title: Failed login
            name: failed-login
            detection:
              sel: {text|contains: 'login failed'}
              condition: sel
            ---
            title: Guessing on one device
            name: guessing
            correlation:
              type: event_count
              rules: [failed-login]
              group-by: [device.udid]
              timespan: 5m
              condition: {gte: 3}
            """;

    static LogRecord failure(String uuid, String device, String time) {
        return LogRecord.builder().put("uuid", uuid).put("app", 7L).put("device.udid", device)
                .put("time", "2026-03-01T" + time + "Z").put("log_level", 2L).put("text", "login failed for bob").build();
    }

    static CorrelationExplanation explain(List<LogRecord> logs) {
        RuleSet rules = RuleLoader.create().text("rules.yml", RULES).load();
        return new CorrelationExplainer(rules, Normalizer.defaults(), NOW).explain("guessing", logs);
    }

    static List<LogRecord> logs() {
        // given out of time order: the job orders them by event time before counting
        return new ArrayList<>(List.of(
                failure("d1-e", "d1", "10:08:00"), failure("d1-a", "d1", "10:00:00"), failure("d2-a", "d2", "10:00:00"),
                failure("d1-b", "d1", "10:02:00"), failure("d1-c", "d1", "10:06:00"), failure("d2-b", "d2", "10:01:00"),
                failure("d1-d", "d1", "10:07:00"),
                LogRecord.builder().put("uuid", "other").put("app", 7L).put("device.udid", "d1")
                        .put("time", "2026-03-01T10:07:30Z").put("text", "login ok").build()));
    }

    /**
     * Spans [end - 5m, end], counted by hand. d1: 10:00 → 1, 10:02 → 2, 10:06 → 2 (10:02, 10:06),
     * 10:07 → 3 (10:02 is on the span's start, included) FIRED, 10:08 → 3 (10:06, 10:07, 10:08)
     * FIRED. d2: 10:00 → 1, 10:01 → 2. Catches: spans measured with the rule's condition (counts
     * lost for spans that do not fire), groups mixed (d2's matches counted in d1), logs counted
     * in file order instead of event time, a log of another rule counted, the verdict not the job's.
     */
    @Test
    void windowsPerGroupWithTheirCountsAndWhichFired() {
        CorrelationExplanation e = explain(logs());
        assertThat(e.fired()).isTrue();
        assertThat(e.detail()).isNull();
        assertThat(e.groups()).hasSize(2);
        CorrelationExplanation.Group d1 = e.groups().stream().filter(g -> g.values().equals(Map.of("device.udid", "d1")))
                .findFirst().orElseThrow();
        assertThat(d1.spans()).extracting(CorrelationExplanation.Span::uuid)
                .containsExactly("d1-a", "d1-b", "d1-c", "d1-d", "d1-e");
        assertThat(d1.spans()).extracting(CorrelationExplanation.Span::measured).containsExactly(1L, 2L, 2L, 3L, 3L);
        assertThat(d1.spans()).extracting(CorrelationExplanation.Span::fired)
                .containsExactly(false, false, false, true, true);
        CorrelationExplanation.Span d = d1.spans().get(3);
        assertThat(Instant.ofEpochMilli(d.start())).isEqualTo(Instant.parse("2026-03-01T10:02:00Z"));
        assertThat(Instant.ofEpochMilli(d.end())).isEqualTo(Instant.parse("2026-03-01T10:07:00Z"));
        assertThat(d.source()).isEqualTo("failed-login");
        CorrelationExplanation.Group d2 = e.groups().stream().filter(g -> g.values().equals(Map.of("device.udid", "d2")))
                .findFirst().orElseThrow();
        assertThat(d2.spans()).extracting(CorrelationExplanation.Span::measured).containsExactly(1L, 2L);
        assertThat(d2.fired()).isFalse();
    }

    /** Without 10:07 and 10:08, d1's spans count 1, 2, 2: catches a verdict that ignores the threshold. */
    @Test
    void belowTheThresholdNothingFires() {
        List<LogRecord> logs = logs();
        logs.removeIf(r -> r.uuid().equals("d1-d") || r.uuid().equals("d1-e"));
        CorrelationExplanation e = explain(logs);
        assertThat(e.fired()).isFalse();
        assertThat(e.groups()).allSatisfy(g -> assertThat(g.fired()).isFalse());
        assertThat(e.groups().get(0).spans()).extracting(CorrelationExplanation.Span::measured)
                .containsExactly(1L, 2L, 2L);
        String text = String.join("\n", ExplanationText.correlation(e, 10));
        assertThat(text).contains("events 2 vs gte 3  no").contains("result: NOT FIRED");
    }
}
