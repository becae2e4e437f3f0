package io.fendersec.detect.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogRecord;

/**
 * Explanations of detections, expectations written by hand from the rule text and the log. Each
 * test names the mutation (a realistic bug of the explainer) it catches; each was seen failing.
 */
class DetectionExplainerTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    static final String RULE = """
            title: Root tool on a device
            name: root-tool
            detection:
              selection:
                text|contains|all: [su binary, found]
                log_level: [2, 3]
              keywords: [magisk, zygisk]
              filter_lab:
                device.udid|startswith: lab-
              condition: (selection or keywords) and not filter_lab
            """;

    private final RuleLoader loader = RuleLoader.create().text("rules.yml", RULE);
    private final RuleSet rules = loader.load();
    private final DetectionExplainer explainer = new DetectionExplainer(rules, loader.writtenDetections(), NOW);

    static NormalizedLog log(String udid, int level, String text) {
        return Normalizer.defaults().normalize(LogRecord.builder().put("uuid", "u1").put("app", 7L)
                .put("device.udid", udid).put("time", "2026-03-01T11:00:00Z").put("log_level", (long) level)
                .put("text", text).build());
    }

    /** The selection's field tests, for a rule whose condition is (selection or keywords) and not filter_lab. */
    private static List<Step> selectionFields(DetectionExplanation e) {
        Step.AllOf top = (Step.AllOf) e.tree();
        Step.AnyOf either = (Step.AnyOf) top.parts().get(0);
        Step.Selection sel = (Step.Selection) either.parts().get(0);
        assertThat(sel.name()).isEqualTo("selection");
        return ((Step.AllOf) sel.body()).parts();
    }

    /**
     * Catches: an outcome computed from the rule text instead of the compiled test (e.g. |contains|all
     * read as "any value"), a field's value not shown, the names of selections lost, not read as
     * negation.
     */
    @Test
    void aMatchShowsEverySelectionTestValueAndOutcome() {
        DetectionExplanation e = explainer.explain("root-tool", log("d1", 2, "SU binary found at /system/xbin"));
        assertThat(e.matched()).isTrue();
        assertThat(e.conditionHeld()).isTrue();
        assertThat(e.firstFailure()).isNull();
        assertThat(e.condition()).isEqualTo("(selection or keywords) and not filter_lab");
        List<Step> fields = selectionFields(e);
        Step.FieldCheck text = (Step.FieldCheck) fields.get(0);
        assertThat(text.written()).isEqualTo("text|contains|all");
        assertThat(text.seen()).isEqualTo("SU binary found at /system/xbin");
        assertThat(text.held()).isTrue();
        // case-insensitive contains: both values hold alone
        assertThat(text.values()).extracting(Step.ValueOutcome::written).containsExactly("su binary", "found");
        assertThat(text.values()).extracting(Step.ValueOutcome::held).containsExactly(true, true);
        Step.FieldCheck level = (Step.FieldCheck) fields.get(1);
        assertThat(level.seen()).isEqualTo("2");
        assertThat(level.values()).extracting(Step.ValueOutcome::held).containsExactly(true, false);
        Step.AllOf top = (Step.AllOf) e.tree();
        Step.AnyOf either = (Step.AnyOf) top.parts().get(0);
        Step.Selection keywords = (Step.Selection) either.parts().get(1);
        assertThat(keywords.name()).isEqualTo("keywords");
        assertThat(keywords.held()).isFalse(); // neither magisk nor zygisk in the log
        Step.Not not = (Step.Not) top.parts().get(1);
        assertThat(not.held()).isTrue();
        assertThat(((Step.Selection) not.inner()).name()).isEqualTo("filter_lab");
        assertThat(not.inner().held()).isFalse();
    }

    /**
     * Catches: the first failing test taken in rule-file order rather than the compiled order, or
     * a passing test reported; |all reported as held when one value is missing.
     */
    @Test
    void aMissNamesTheFirstFailingTest() {
        // "found" is missing: text|contains|all fails although "su binary" is there; level 2 holds
        DetectionExplanation e = explainer.explain("root-tool", log("d1", 2, "su binary missing"));
        assertThat(e.matched()).isFalse();
        assertThat(e.conditionHeld()).isFalse();
        Step.FieldCheck first = (Step.FieldCheck) e.firstFailure();
        assertThat(first.written()).isEqualTo("text|contains|all");
        assertThat(first.values()).extracting(Step.ValueOutcome::held).containsExactly(true, false);
        assertThat(selectionFields(e).get(1).held()).isTrue();

        // the text holds, the level (4, not 2 or 3) does not: the second test is the first failure
        DetectionExplanation level = explainer.explain("root-tool", log("d1", 4, "su binary found"));
        Step.FieldCheck failed = (Step.FieldCheck) level.firstFailure();
        assertThat(failed.written()).isEqualTo("log_level");
        assertThat(failed.seen()).isEqualTo("4");
        assertThat(failed.values()).extracting(Step.ValueOutcome::held).containsExactly(false, false);
    }

    /** Catches: a not whose inner selection held not reported as the failure (the filter would be hidden). */
    @Test
    void aFilterSelectionThatHoldsIsTheFailureOfItsNot() {
        DetectionExplanation e = explainer.explain("root-tool", log("lab-7", 3, "magisk detected"));
        assertThat(e.matched()).isFalse();
        Step.Not not = (Step.Not) e.firstFailure();
        assertThat(((Step.Selection) not.inner()).name()).isEqualTo("filter_lab");
        assertThat(((Step.FieldCheck) ((Step.Selection) not.inner()).body()).seen()).isEqualTo("lab-7");
    }

    /** Catches: an exception that drops the match not applied (explain says MATCH, the job says nothing). */
    @Test
    void anExceptionThatDropsTheMatchIsNamed() {
        RuleLoader l = RuleLoader.create().text("rules.yml", RULE).exceptions("exceptions.yml", """
                exceptions:
                  - id: ex-qa-device
                    rule: root-tool
                    field: device.udid
                    values: [qa-1]
                    reason: QA phone, rooted on purpose
                """);
        RuleSet rs = l.load();
        DetectionExplanation e = new DetectionExplainer(rs, l.writtenDetections(), NOW)
                .explain("root-tool", log("qa-1", 2, "su binary found"));
        assertThat(e.conditionHeld()).isTrue();
        assertThat(e.matched()).isFalse();
        assertThat(e.suppressions()).containsExactly(new DetectionExplanation.SuppressionOutcome(
                "exception ex-qa-device (root-tool)", DetectionExplanation.Outcome.DROPS));
    }

    /** Catches: control characters of a log value reaching the terminal raw. */
    @Test
    void attackerTextIsPrintedEscaped() {
        DetectionExplanation e = explainer.explain("root-tool",
                log("d1", 2, "su binary found\n[held] forged line \u001b[2J\u202e"));
        String text = String.join("\n", ExplanationText.detection(e));
        assertThat(text).doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("found\n[held]");
        assertThat(text).contains("su binary found\\n[held] forged line \\u001b[2J\\u202e");
    }
}
