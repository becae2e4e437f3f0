package io.fendersec.detect.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.error.ConfigException;

/**
 * The pipeline of docs/rules.md, "Processing pipelines", loads as written and does what the page
 * says. Mutation caught: the page's example drifting from what the reader accepts.
 */
class PipelineDocExampleTest {
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
    void thePagesPipelineLoadsAndApplies() throws Exception {
        List<String> blocks = yamlBlocks("Processing pipelines");
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0)).contains("pipelines: [builtin:ecs, pipelines/mine.yml]");
        ProcessingPipeline mine = ProcessingPipeline.read("pipelines/mine.yml", blocks.get(1));
        assertThat(mine.priority()).isEqualTo(10);
        assertThat(mine.items()).extracting(i -> i.type).containsExactly("field_name_mapping", "change_logsource",
                "add_condition", "value_placeholders", "replace_string", "drop_detection_item", "rule_failure");
        RuleSet rules = RuleLoader.create().pipelines(Pipelines.of(List.of(mine))).text("r.yml", """
                title: Admin on Android
                name: android-admin
                logsource: {product: android}
                detection:
                  sel: {AccountName|expand: '%admins%', EventType: x}
                  condition: sel
                """).load();
        assertThat(rules.rule("android-admin")).as("moved to bugfender").isNotNull();
        assertThatThrownBy(() -> RuleLoader.create().pipelines(Pipelines.of(List.of(mine))).text("w.yml",
                "title: w\nname: w\nlogsource: {product: windows}\ndetection: {sel: {text: x}, condition: sel}\n").load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("Windows event logs are not Bugfender logs");
    }
}
