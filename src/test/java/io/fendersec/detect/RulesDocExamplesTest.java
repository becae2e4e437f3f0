package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.ExceptionEntry;
import io.fendersec.detect.rule.Rule;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.rule.SigmaFilter;

/** The examples of docs/rules.md's sections "Sigma filters" (with rules: any) and "Exceptions" load as written. */
class RulesDocExamplesTest {
    static List<String> yamlBlocks(String section) throws Exception {
        String doc = Files.readString(Path.of("docs/rules.md"));
        int start = doc.indexOf("\n## " + section + "\n");
        int end = doc.indexOf("\n## ", start + 4);
        String body = doc.substring(start, end);
        List<String> out = new ArrayList<>();
        for (int i = body.indexOf("```yaml\n"); i >= 0; i = body.indexOf("```yaml\n", i + 1)) {
            out.add(body.substring(i + 8, body.indexOf("```", i + 8)));
        }
        return out;
    }

    @Test
    void theExamplesLoadWithTheBuiltinPack() throws Exception {
        List<String> filter = yamlBlocks("Sigma filters");
        List<String> exceptions = yamlBlocks("Exceptions");
        assertThat(filter).hasSize(2);
        assertThat(exceptions).hasSize(2);
        RuleSet rules = RuleLoader.create().builtin(List.of("all")).text("lab-devices.yml", filter.get(0))
                .exceptions("exceptions.yml", exceptions.get(0)).load();
        assertThat(rules.filters()).extracting(SigmaFilter::rules).containsExactly(List.of("root-jailbreak"));
        assertThat(rules.exceptions()).extracting(ExceptionEntry::id).containsExactly("ex-test-users", "ex-office-scanner");
        assertThat(exceptions.get(1)).contains("exceptions: exceptions.yml");
        // rules: any (v2.2 draft) over product bugfender: every built-in detection rule, no correlation.
        RuleSet any = RuleLoader.create().builtin(List.of("all")).text("qa.yml", filter.get(1)).load();
        List<String> detections = any.rules().values().stream().filter(r -> !(r instanceof CorrelationRule))
                .map(Rule::id).toList();
        assertThat(detections).isNotEmpty();
        assertThat(any.filters()).singleElement().satisfies(f -> assertThat(f.rules()).containsExactlyInAnyOrderElementsOf(detections));
    }
}
